#!/usr/bin/env bats
# A Distributed Map's ItemReader over the local S3: JSON, JSON Lines and
# CSV objects (RFC 4180, headers FIRST_ROW or GIVEN, every delimiter), S3
# inventory manifests (MANIFEST, gzipped CSV), PARQUET refused clearly,
# listObjectsV2, MaxItems and MaxItemsPath, the JSONata Arguments form,
# and the failures AWS names States.ItemReaderFailed.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_S3_ROOT="$BATS_TEST_TMPDIR/s3"
	mkdir -p s3/data/sub
	printf '[{"a":1},{"a":2},{"a":3}]' > s3/data/o.json
	printf '{"a":1}\n\n{"a":[2]}\r\n"three"' > s3/data/o.jsonl
	printf 'id,name,note\r\n1,ann,"a, quoted ""x"""\r\n2,bob,"two\nlines"\n\n3,cy,\n' > s3/data/o.csv
	printf '{"orders":{"list":[{"n":1},{"n":2}]}}' > s3/data/nested.json
}

# reader CONFIG [PARAMETERS]: a machine whose Distributed Map reads with
# CONFIG and whose iterations pass their input on
reader() {
	local params=${2:-'{"Bucket":"data","Key.$":"$.key"}'}
	cat > m.json <<J
{"StartAt":"M","States":{"M":{"Type":"Map",
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":$1,
  "Parameters":$params},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
  "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
J
}

@test "JSON: the array is the items; ItemsPointer reaches into an object; MaxItems keeps the first" {
	reader '{"InputType":"JSON"}'
	run -0 asl run --input '{"key":"o.json"}' m.json
	assert_json '[{"a":1},{"a":2},{"a":3}]' "$output"
	reader '{"InputType":"JSON","ItemsPointer":"/orders/list"}'
	run -0 asl run --input '{"key":"nested.json"}' m.json
	assert_json '[{"n":1},{"n":2}]' "$output"
	reader '{"InputType":"JSON","MaxItems":2}'
	run -0 asl run --input '{"key":"o.json"}' m.json
	assert_json '[{"a":1},{"a":2}]' "$output"
	reader '{"InputType":"JSON","MaxItemsPath":"$.max"}'
	run -0 asl run --input '{"key":"o.json","max":1}' m.json
	assert_json '[{"a":1}]' "$output"
	reader '{"InputType":"JSON"}'
	run -1 --separate-stderr asl run --input '{"key":"nested.json"}' m.json
	fails_with States.ItemReaderFailed 'Attempting to map over non-iterable node.'
	[ "$stderr" = 'asl: execution FAILED: States.ItemReaderFailed: Attempting to map over non-iterable node.' ]
}

@test "JSON Lines: a value a line, blank lines and CRLF skipped; a line that is not JSON fails" {
	reader '{"InputType":"JSONL"}'
	run -0 asl run --input '{"key":"o.jsonl"}' m.json
	assert_json '[{"a":1},{"a":[2]},"three"]' "$output"
	printf '{"a":1}\n{oops\n' > s3/data/bad.jsonl
	run -1 --separate-stderr asl run --input '{"key":"bad.jsonl"}' m.json
	[ "$stderr" = 'asl: execution FAILED: States.ItemReaderFailed: Reading the items of s3://data/bad.jsonl: line 2 is not JSON' ]
}

@test "CSV, FIRST_ROW: RFC 4180 quoting, CRLF, blank lines; every value a string" {
	reader '{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}'
	run -0 asl run --input '{"key":"o.csv"}' m.json
	assert_json '[{"id":"1","name":"ann","note":"a, quoted \"x\""},{"id":"2","name":"bob","note":"two\nlines"},{"id":"3","name":"cy","note":""}]' "$output"
	reader '{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItems":1}'
	run -0 asl run --input '{"key":"o.csv"}' m.json
	assert_json '[{"id":"1","name":"ann","note":"a, quoted \"x\""}]' "$output"
}

@test "CSV, GIVEN headers, with each delimiter AWS offers" {
	local n=0 name sep want
	for name in COMMA PIPE SEMICOLON SPACE TAB; do
		case $name in
		COMMA) sep=, ;; PIPE) sep='|' ;; SEMICOLON) sep=';' ;;
		SPACE) sep=' ' ;; TAB) sep=$'\t' ;;
		esac
		printf 'a%sb\n"c%sd"%se\n' "$sep" "$sep" "$sep" > s3/data/d.csv
		reader "{\"InputType\":\"CSV\",\"CSVHeaderLocation\":\"GIVEN\",\"CSVHeaders\":[\"x\",\"y\"],\"CSVDelimiter\":\"$name\"}"
		run -0 asl run --input '{"key":"d.csv"}' m.json
		want=$(jq -cn --arg s "$sep" '[{"x":"a","y":"b"},{"x":("c" + $s + "d"),"y":"e"}]')
		assert_json "$want" "$output" || { echo "$name"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -eq 5 ]
	printf 'a,b,c\n' > s3/data/wide.csv
	reader '{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["x","y"]}'
	run -1 --separate-stderr asl run --input '{"key":"wide.csv"}' m.json
	[ "$stderr" = 'asl: execution FAILED: States.ItemReaderFailed: Reading the items of s3://data/wide.csv: the record ending at line 1 does not have as many fields as there are headers' ]
}

@test "JSONata: Arguments name the object" {
	cat > j.json <<'J'
{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
  "Arguments":{"Bucket":"data","Key":"{% $states.input.key %}"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
  "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run --input '{"key":"o.json"}' j.json
	assert_json '[{"a":1},{"a":2},{"a":3}]' "$output"
}

@test "listObjectsV2: an item per object under the prefix, in AWS's shape" {
	printf 'x' > s3/data/sub/k1
	printf 'yy' > s3/data/sub/k2
	cat > l.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map",
 "ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"data","Prefix":"sub/"}},
 "ItemSelector":{"key.$":"$$.Map.Item.Value.Key","size.$":"$$.Map.Item.Value.Size"},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
  "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run l.json
	assert_json '[{"key":"sub/k1","size":1},{"key":"sub/k2","size":2}]' "$output"
	jq 'del(.States.M.ItemSelector)' l.json > l2.json
	run -0 asl run l2.json
	holds 'length == 2 and (.[0] | keys_unsorted) == ["Etag","Key","LastModified","Size","StorageClass"] and
	    .[0].Etag == "\"9dd4e461268c8034f5c8564e155c67a6\"" and (.[0].LastModified | type) == "number" and
	    .[0].StorageClass == "STANDARD"' "$output"
}

@test "what cannot be read fails the Map with States.ItemReaderFailed, catchable" {
	reader '{"InputType":"JSON"}'
	run -1 --separate-stderr asl run --input '{"key":"gone.json"}' m.json
	fails_with States.ItemReaderFailed 'S3.NoSuchKeyException: The specified key does not exist. (Service: S3, Status Code: 404, Request ID: '
	reader '{"InputType":"JSON"}' '{"Bucket":"nobucket","Key":"o.json"}'
	run -1 --separate-stderr asl run m.json
	fails_with States.ItemReaderFailed 'S3.NoSuchBucketException: The specified bucket does not exist'
	reader '{"InputType":"PARQUET"}'
	run -1 --separate-stderr asl run --input '{"key":"o.json"}' m.json
	fails_with States.ItemReaderFailed 'asl has no reader for InputType PARQUET'
	jq '.States.M.Catch = [{"ErrorEquals":["States.ItemReaderFailed"],"Next":"C"}] | .States.M.End = null | del(.States.M.End) | .States.M.Next = "C" | .States.C = {"Type":"Pass","End":true}' m.json > c.json
	run -0 asl run --input '{"key":"o.json"}' c.json
	holds '.Error == "States.ItemReaderFailed"' "$output"
}

@test "ItemBatcher over what was read: MaxItemsPerBatch[Path], MaxInputBytesPerBatch, BatchInput" {
	printf 'n\n1\n2\n3\n4\n5\n' > s3/data/five.csv
	cat > b.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map",
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
  "Parameters":{"Bucket":"data","Key":"five.csv"}},
 "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"run.$":"$.run"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
  "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run --input '{"run":"r1","per":3}' b.json
	assert_json '[{"Items":[{"n":"1"},{"n":"2"}],"BatchInput":{"run":"r1"}},{"Items":[{"n":"3"},{"n":"4"}],"BatchInput":{"run":"r1"}},{"Items":[{"n":"5"}],"BatchInput":{"run":"r1"}}]' "$output"
	jq '.States.M.ItemBatcher = {"MaxItemsPerBatchPath":"$.per"}' b.json > bp.json
	run -0 asl run --input '{"per":3}' bp.json
	assert_json '[{"Items":[{"n":"1"},{"n":"2"},{"n":"3"}]},{"Items":[{"n":"4"},{"n":"5"}]}]' "$output"
	# {"Items":[{"n":"1"},{"n":"2"}]} is 31 bytes: a third item would pass 40
	jq '.States.M.ItemBatcher = {"MaxInputBytesPerBatch":40}' b.json > bb.json
	run -0 asl run bb.json
	assert_json '[{"Items":[{"n":"1"},{"n":"2"}]},{"Items":[{"n":"3"},{"n":"4"}]},{"Items":[{"n":"5"}]}]' "$output"
	# items from the input: the ItemSelector once, before the batching
	cat > in.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
 "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},"ItemBatcher":{"MaxItemsPerBatch":2},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
  "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run --input '{"xs":[1,2,3]}' in.json
	assert_json '[{"Items":[{"v":1,"i":0},{"v":2,"i":1}]},{"Items":[{"v":3,"i":2}]}]' "$output"
	# and from a reader likewise
	jq '.States.M.ItemSelector = {"n.$":"$$.Map.Item.Value.n","i.$":"$$.Map.Item.Index"} | .States.M.ItemBatcher = {"MaxItemsPerBatch":4}' b.json > bs.json
	run -0 asl run bs.json
	assert_json '[{"Items":[{"n":"1","i":0},{"n":"2","i":1},{"n":"3","i":2},{"n":"4","i":3}]},{"Items":[{"n":"5","i":4}]}]' "$output"
	run -1 --separate-stderr asl run --input '{"per":"x"}' bp.json
	fails_with States.Runtime "An error occurred while executing the state 'M' (entered at the event id #2). The MaxItemsPerBatchPath field refers to a value that is not a positive integer: \$.per"
}

@test "MANIFEST: an S3 inventory's gzipped CSV files, in order, columns from fileSchema; what it cannot read fails" {
	mkdir -p s3/inv/src/cfg/data s3/inv/src/cfg/2026-12-01T00-00Z
	printf '"srcb","a/1.csv","10","2022-11-16T00:27:19.000Z"\n"srcb","a/2, b.csv","20","2022-11-16T00:27:20.000Z"\n' |
	    gzip > s3/inv/src/cfg/data/one.csv.gz
	printf '"srcb","b/3.csv","30","2022-11-16T00:27:21.000Z"\n' | gzip > s3/inv/src/cfg/data/two.csv.gz
	m=s3/inv/src/cfg/2026-12-01T00-00Z/manifest.json
	cat > "$m" <<'J'
{"sourceBucket":"srcb","destinationBucket":"arn:aws:s3:::inv","version":"2016-11-30",
 "creationTimestamp":"1669000000000","fileFormat":"CSV","fileSchema":"Bucket, Key, Size, LastModifiedDate",
 "files":[{"key":"src/cfg/data/one.csv.gz","size":80,"MD5checksum":"x"},
          {"key":"src/cfg/data/two.csv.gz","size":60,"MD5checksum":"y"}]}
J
	reader '{"InputType":"MANIFEST"}' '{"Bucket":"inv","Key":"src/cfg/2026-12-01T00-00Z/manifest.json"}'
	run -0 asl run m.json
	assert_json '[{"Bucket":"srcb","Key":"a/1.csv","Size":"10","LastModifiedDate":"2022-11-16T00:27:19.000Z"},
	    {"Bucket":"srcb","Key":"a/2, b.csv","Size":"20","LastModifiedDate":"2022-11-16T00:27:20.000Z"},
	    {"Bucket":"srcb","Key":"b/3.csv","Size":"30","LastModifiedDate":"2022-11-16T00:27:21.000Z"}]' "$output"
	reader '{"InputType":"MANIFEST","MaxItems":2}' '{"Bucket":"inv","Key":"src/cfg/2026-12-01T00-00Z/manifest.json"}'
	run -0 asl run m.json
	holds '[.[].Key] == ["a/1.csv","a/2, b.csv"]' "$output"
	# a data file that is gone, an ORC inventory
	rm s3/inv/src/cfg/data/two.csv.gz
	reader '{"InputType":"MANIFEST"}' '{"Bucket":"inv","Key":"src/cfg/2026-12-01T00-00Z/manifest.json"}'
	run -1 --separate-stderr asl run m.json
	fails_with States.ItemReaderFailed 'S3.NoSuchKeyException: The specified key does not exist.'
	jq '.fileFormat = "ORC"' "$m" > m2 && mv m2 "$m"
	run -1 --separate-stderr asl run m.json
	[ "$stderr" = "asl: execution FAILED: States.ItemReaderFailed: Reading the items of s3://inv/src/cfg/2026-12-01T00-00Z/manifest.json: the manifest's fileFormat is ORC: asl reads CSV inventories" ]
}
