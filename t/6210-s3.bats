#!/usr/bin/env bats
# The local S3 (asl-s3(5)): --s3-root DIR or $ASL_S3_ROOT stands for S3,
# bucket B key K the file DIR/B/K; the aws-sdk:s3 and s3 task
# integrations read and write it with AWS's shapes and errors.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	unset ASL_S3_ROOT
	mkdir -p s3/bkt/dir s3/empty
	printf 'a,b\n1,2\n' > s3/bkt/dir/x.csv
	printf '{"k":1}' > s3/bkt/top.json
}

# task RESOURCE PARAMETERS: a machine of one Task, its result the output
task() {
	printf '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::%s","Parameters":%s,"End":true}}}' "$1" "$2" > t.json
}

@test "putObject then getObject: the Body comes back, the ETag is the MD5 of the bytes" {
	task aws-sdk:s3:putObject '{"Bucket":"bkt","Key":"out/a b.json","Body":{"hello":"world"}}'
	run -0 asl run --s3-root s3 t.json
	assert_json '{"ETag":"\"fbc24bcc7a1794758fc1327fcfebdaf6\"","ServerSideEncryption":"AES256"}' "$output"
	[ "$(cat 's3/bkt/out/a b.json')" = '{"hello":"world"}' ]
	task aws-sdk:s3:getObject '{"Bucket":"bkt","Key":"out/a b.json"}'
	run -0 asl run --s3-root s3 t.json
	holds '.Body == "{\"hello\":\"world\"}" and .ContentLength == 17 and
	    .ContentType == "application/json" and .AcceptRanges == "bytes" and
	    .ETag == "\"fbc24bcc7a1794758fc1327fcfebdaf6\"" and .Metadata == {} and
	    (.LastModified | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))' "$output"
	# $ASL_S3_ROOT does the same
	task aws-sdk:s3:getObject '{"Bucket":"bkt","Key":"top.json"}'
	ASL_S3_ROOT=s3 run -0 asl run t.json
	holds '.Body == "{\"k\":1}"' "$output"
}

@test "a missing key or bucket fails with the errors AWS gives" {
	task aws-sdk:s3:getObject '{"Bucket":"bkt","Key":"nope.json"}'
	run -1 --separate-stderr asl run --s3-root s3 t.json
	fails_with S3.NoSuchKeyException 'The specified key does not exist. (Service: S3, Status Code: 404, Request ID: '
	task aws-sdk:s3:headObject '{"Bucket":"nob","Key":"top.json"}'
	run -1 --separate-stderr asl run --s3-root s3 t.json
	fails_with S3.NoSuchBucketException 'The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: '
	# a key that would leave its bucket is no key at all
	task aws-sdk:s3:getObject '{"Bucket":"bkt","Key":"../bkt/top.json"}'
	run -1 --separate-stderr asl run --s3-root s3 t.json
	fails_with S3.NoSuchKeyException 'The specified key does not exist.'
	task aws-sdk:s3:putObject '{"Bucket":"nob","Key":"k","Body":"x"}'
	run -1 --separate-stderr asl run --s3-root s3 t.json
	fails_with S3.NoSuchBucketException 'The specified bucket does not exist'
	[ ! -e s3/nob ]
}

@test "no local S3: S3.S3Exception says how to give one" {
	task aws-sdk:s3:getObject '{"Bucket":"bkt","Key":"top.json"}'
	run -1 --separate-stderr asl run t.json
	fails_with S3.S3Exception 'No local S3 serves s3:getObject: give --s3-root DIR or set ASL_S3_ROOT'
}

@test "listObjectsV2: sorted keys, Prefix, Delimiter's CommonPrefixes, pages of MaxKeys" {
	printf 'x' > s3/bkt/dir/y.txt
	task aws-sdk:s3:listObjectsV2 '{"Bucket":"bkt","Delimiter":"/"}'
	run -0 asl run --s3-root s3 t.json
	holds '[.Contents[].Key] == ["top.json"] and .CommonPrefixes == [{"Prefix":"dir/"}] and
	    .KeyCount == 2 and .IsTruncated == false and .Name == "bkt" and .Prefix == "" and
	    .Delimiter == "/" and .MaxKeys == 1000 and
	    .Contents[0] == {"Key":"top.json","LastModified":.Contents[0].LastModified,
	      "ETag":"\"e59138f35192e320088b83d28388d6bb\"","Size":7,"StorageClass":"STANDARD"}' "$output"
	task aws-sdk:s3:listObjectsV2 '{"Bucket":"bkt","Prefix":"dir/","MaxKeys":1}'
	run -0 asl run --s3-root s3 t.json
	holds '[.Contents[].Key] == ["dir/x.csv"] and .IsTruncated and .NextContinuationToken' "$output"
	tok=$(jq -r .NextContinuationToken <<<"$output")
	task aws-sdk:s3:listObjectsV2 "{\"Bucket\":\"bkt\",\"Prefix\":\"dir/\",\"ContinuationToken\":\"$tok\"}"
	run -0 asl run --s3-root s3 t.json
	holds '[.Contents[].Key] == ["dir/y.txt"] and .IsTruncated == false' "$output"
	task aws-sdk:s3:listObjectsV2 '{"Bucket":"empty"}'
	run -0 asl run --s3-root s3 t.json
	holds 'has("Contents") == false and .KeyCount == 0' "$output"
}

@test "deleteObject: the file goes, the directories it alone made go, a missing key is no error" {
	task aws-sdk:s3:deleteObject '{"Bucket":"bkt","Key":"dir/x.csv"}'
	run -0 asl run --s3-root s3 t.json
	assert_json '{}' "$output"
	[ ! -e s3/bkt/dir ]
	[ -e s3/bkt ]
	run -0 asl run --s3-root s3 t.json
	assert_json '{}' "$output"
}

@test "the execution keeps its S3 root: asl resume from elsewhere finds the same one" {
	cat > w.json <<'J'
{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":0,"Next":"T"},
 "T":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject","Parameters":{"Bucket":"bkt","Key":"top.json"},"OutputPath":"$.Body","End":true}}}
J
	run -0 asl start --name w1 --s3-root s3 w.json
	mkdir elsewhere && cd elsewhere
	run -0 asl resume w1
	assert_json '"{\"k\":1}"' "$output"
}

@test "a plain s3:getObject or s3:putObject Task is accepted, with a warning, and runs with the aws-sdk shapes" {
	task s3:putObject '{"Bucket":"bkt","Key":"p.json","Body":{"n":2}}'
	run -0 asl validate t.json
	holds '.result == "OK" and .diagnostics == []' "$output"
	run -0 asl validate --severity WARNING t.json
	holds '.result == "OK" and [.diagnostics[] | .code] == ["S3_TASK_RESOURCE"]
	    and (.diagnostics[0].message | contains("arn:aws:states:::aws-sdk:s3:putObject"))' "$output"
	run -0 asl run --s3-root s3 t.json
	assert_json '{"ETag":"\"fa3f212516c45c713781b9dae87824a9\"","ServerSideEncryption":"AES256"}' "$output"
	[ "$(cat s3/bkt/p.json)" = '{"n":2}' ]
	task s3:getObject '{"Bucket":"bkt","Key":"p.json"}'
	run -0 asl run --s3-root s3 t.json
	holds '.Body == "{\"n\":2}" and .ContentLength == 7 and .ETag == "\"fa3f212516c45c713781b9dae87824a9\""' "$output"
	task s3:getObject '{"Bucket":"bkt","Key":"nope"}'
	run -1 --separate-stderr asl run --s3-root s3 t.json
	fails_with S3.NoSuchKeyException 'The specified key does not exist.'
	# what AWS offers to ItemReader alone is still no Task's
	task s3:listObjectsV2 '{"Bucket":"bkt"}'
	run -1 asl validate t.json
	holds '.diagnostics[0].message | startswith("The resource provided arn:aws:states:::s3:listObjectsV2 is not recognized")' "$output"
}
