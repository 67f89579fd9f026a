#!/usr/bin/env python3
"""boto3 against asl serve: the calls a Step Functions test suite makes.

usage: client.py ENDPOINT TOKEN_DIR
Creates machines, starts, polls, lists, pages a history, stops, redrives,
answers a callback, runs an activity worker, calls TestState and
ValidateStateMachineDefinition.  Prints one line per check; exits 1 at the
first that fails.
"""
import json, os, sys, time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, token_dir = sys.argv[1], sys.argv[2]
sfn = boto3.client('stepfunctions', endpoint_url=endpoint,
                   region_name='us-east-1', aws_access_key_id='x',
                   aws_secret_access_key='x',
                   config=Config(retries={'max_attempts': 1}, inject_host_prefix=False,
                                 read_timeout=70, connect_timeout=5))
ROLE = 'arn:aws:iam::012345678901:role/DummyRole'


def check(what, cond):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        sys.exit(1)


def error_of(call, **kw):
    try:
        call(**kw)
    except ClientError as e:
        return e.response['Error']['Code']
    return None


def machine(name, states, start, typ='STANDARD'):
    d = json.dumps({'StartAt': start, 'States': states})
    return sfn.create_state_machine(name=name, definition=d, roleArn=ROLE,
                                    type=typ)['stateMachineArn']


def wait_status(arn, want, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        d = sfn.describe_execution(executionArn=arn)
        if d['status'] == want:
            return d
        time.sleep(0.1)
    return sfn.describe_execution(executionArn=arn)


def wait_file(path, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        if os.path.exists(path):
            return open(path).read()
        time.sleep(0.1)
    return None


# ValidateStateMachineDefinition
good = json.dumps({'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'End': True}}})
r = sfn.validate_state_machine_definition(definition=good)
check('validate: a sound definition is OK', r['result'] == 'OK' and r['diagnostics'] == [])
r = sfn.validate_state_machine_definition(definition='{"StartAt":"X","States":{}}')
check('validate: a broken one FAILs with diagnostics',
      r['result'] == 'FAIL' and r['diagnostics'][0]['severity'] == 'ERROR')
check('create: an invalid definition is InvalidDefinition',
      error_of(sfn.create_state_machine, name='bad', roleArn=ROLE,
               definition='{"StartAt":"X","States":{}}') == 'InvalidDefinition')

# create, start, poll, list
pass3 = machine('pass3', {
    'A': {'Type': 'Pass', 'Result': 1, 'ResultPath': '$.a', 'Next': 'B'},
    'B': {'Type': 'Pass', 'Result': 2, 'ResultPath': '$.b', 'Next': 'C'},
    'C': {'Type': 'Pass', 'End': True}}, 'A')
d = sfn.describe_state_machine(stateMachineArn=pass3)
check('describe-state-machine: ACTIVE, with a creation date',
      d['status'] == 'ACTIVE' and d['creationDate'].year >= 2024)
arns = []
for i in range(3):
    r = sfn.start_execution(stateMachineArn=pass3, name='p%d' % i,
                            input=json.dumps({'i': i}))
    arns.append(r['executionArn'])
check('start-execution: an ARN and a start date',
      arns[0].endswith(':execution:pass3:p0') and r['startDate'].year >= 2024)
d = wait_status(arns[2], 'SUCCEEDED')
check('the execution ran by itself to SUCCEEDED',
      d['status'] == 'SUCCEEDED' and json.loads(d['output']) == {'i': 2, 'a': 1, 'b': 2})
check('start-execution: the name of a closed one is ExecutionAlreadyExists',
      error_of(sfn.start_execution, stateMachineArn=pass3, name='p0',
               input='{"i":0}') == 'ExecutionAlreadyExists')
page = sfn.list_executions(stateMachineArn=pass3, maxResults=2)
rest = sfn.list_executions(stateMachineArn=pass3, maxResults=2, nextToken=page['nextToken'])
names = [e['name'] for e in page['executions'] + rest['executions']]
check('list-executions: pages of 2, newest first', names == ['p2', 'p1', 'p0'] and 'nextToken' not in rest)
r = sfn.list_executions(stateMachineArn=pass3, statusFilter='RUNNING')
check('list-executions: statusFilter', r['executions'] == [])

# history, paged
events, token = [], None
while True:
    kw = {'executionArn': arns[0], 'maxResults': 2}
    if token:
        kw['nextToken'] = token
    r = sfn.get_execution_history(**kw)
    events += r['events']
    token = r.get('nextToken')
    if not token:
        break
types = [e['type'] for e in events]
check('get-execution-history: paged, every event once',
      types[0] == 'ExecutionStarted' and types[-1] == 'ExecutionSucceeded' and
      [e['id'] for e in events] == list(range(1, len(events) + 1)))
r = sfn.get_execution_history(executionArn=arns[0], reverseOrder=True,
                              includeExecutionData=False)
check('get-execution-history: reverseOrder, without the data',
      r['events'][0]['type'] == 'ExecutionSucceeded' and
      'output' not in r['events'][0]['executionSucceededEventDetails'])
with open(os.path.join(token_dir, 'history.json'), 'w') as f:
    json.dump([[e['id'], e['type']] for e in events], f)

# stop, redrive
slow = machine('slow', {'W': {'Type': 'Wait', 'Seconds': 300, 'End': True}}, 'W')
w = sfn.start_execution(stateMachineArn=slow, name='w1')['executionArn']
d = wait_status(w, 'RUNNING')
check('a Wait keeps it RUNNING', d['status'] == 'RUNNING')
check('describe-execution: RUNNING, not redriven, not redrivable',
      d['redriveCount'] == 0 and 'redriveDate' not in d and
      d['redriveStatus'] == 'NOT_REDRIVABLE' and
      d['redriveStatusReason'] == 'Execution is RUNNING and cannot be redriven')
again = sfn.start_execution(stateMachineArn=slow, name='w1')
check('start-execution: the same name and input as a RUNNING one is that one',
      again['executionArn'] == w)
check('start-execution: the same name, another input: ExecutionAlreadyExists',
      error_of(sfn.start_execution, stateMachineArn=slow, name='w1',
               input='{"i":9}') == 'ExecutionAlreadyExists')
r = sfn.stop_execution(executionArn=w, error='Halt', cause='test')
d = wait_status(w, 'ABORTED')
check('stop-execution: ABORTED with the error given',
      d['status'] == 'ABORTED' and d.get('error') == 'Halt' and r['stopDate'].year >= 2024)
check('stop-execution: again is ExecutionNotRunning',
      error_of(sfn.stop_execution, executionArn=w) == 'ExecutionNotRunning')
check('describe-execution: ABORTED is REDRIVABLE, not redriven yet',
      d['redriveStatus'] == 'REDRIVABLE' and 'redriveStatusReason' not in d and
      d['redriveCount'] == 0 and 'redriveDate' not in d)
r = sfn.redrive_execution(executionArn=w)
d = wait_status(w, 'RUNNING')
h = sfn.get_execution_history(executionArn=w)['events']
check('redrive-execution: RUNNING again, an ExecutionRedriven event',
      d['status'] == 'RUNNING' and 'ExecutionRedriven' in [e['type'] for e in h])
check('describe-execution: redriveCount 1, redriveDate the redrive\'s',
      d['redriveCount'] == 1 and d['redriveDate'] == r['redriveDate'] and
      d['redriveStatus'] == 'NOT_REDRIVABLE')
sfn.stop_execution(executionArn=w)
wait_status(w, 'ABORTED')
r2 = sfn.redrive_execution(executionArn=w)
d = wait_status(w, 'RUNNING')
check('redrive-execution again: redriveCount 2, redriveDate the second\'s',
      d['redriveCount'] == 2 and d['redriveDate'] == r2['redriveDate'] and
      r2['redriveDate'] >= r['redriveDate'])
l = [e for e in sfn.list_executions(stateMachineArn=slow)['executions']
     if e['executionArn'] == w]
check('list-executions: redriveCount and redriveDate, no redrive status',
      len(l) == 1 and l[0]['redriveCount'] == 2 and
      l[0]['redriveDate'] == r2['redriveDate'] and 'redriveStatus' not in l[0])
sfn.stop_execution(executionArn=w)
d = sfn.describe_execution(executionArn=arns[0])
check('describe-execution: SUCCEEDED is not redrivable',
      d['redriveStatus'] == 'NOT_REDRIVABLE' and d['redriveCount'] == 0 and
      d['redriveStatusReason'] == 'Execution is SUCCEEDED and cannot be redriven')
check('redrive-execution: a SUCCEEDED one is not redrivable',
      error_of(sfn.redrive_execution, executionArn=arns[0]) == 'ExecutionNotRedrivable')

# a callback answered
cb = machine('callback', {'T': {
    'Type': 'Task', 'Resource': 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    'Parameters': {'QueueUrl': 'q', 'MessageBody': {'token.$': '$$.Task.Token'}},
    'End': True}}, 'T')
c = sfn.start_execution(stateMachineArn=cb, name='cb1')['executionArn']
tok = wait_file(os.path.join(token_dir, 'cb1'))
check('the callback task handed out its token', bool(tok))
check('send-task-success: a malformed token is InvalidToken',
      error_of(sfn.send_task_success, taskToken='nope', output='{}') == 'InvalidToken')
check('send-task-success: output that is not JSON is InvalidOutput',
      error_of(sfn.send_task_success, taskToken=tok, output='{x') == 'InvalidOutput')
sfn.send_task_heartbeat(taskToken=tok)
sfn.send_task_success(taskToken=tok, output='{"answer":42}')
d = wait_status(c, 'SUCCEEDED')
check('send-task-success resumed it', d['status'] == 'SUCCEEDED' and
      json.loads(d['output']) == {'answer': 42})

# an activity worker
act = sfn.create_activity(name='work')['activityArn']
check('describe-activity', sfn.describe_activity(activityArn=act)['name'] == 'work')
check('list-activities', [a['name'] for a in sfn.list_activities()['activities']] == ['work'])
am = machine('uses-activity', {'T': {'Type': 'Task', 'Resource': act, 'End': True}}, 'T')
a = sfn.start_execution(stateMachineArn=am, name='a1', input='{"job":7}')['executionArn']
t0 = time.time()
task = sfn.get_activity_task(activityArn=act, workerName='w')
check('get-activity-task: the task, by long poll',
      json.loads(task['input']) == {'job': 7} and time.time() - t0 < 30)
sfn.send_task_failure(taskToken=task['taskToken'], error='Worker.Broke', cause='on purpose')
d = wait_status(a, 'FAILED')
check('send-task-failure failed it with that error',
      d['status'] == 'FAILED' and d.get('error') == 'Worker.Broke')

# Express, synchronously
ex = machine('quick', {'P': {'Type': 'Pass', 'Result': 'done', 'End': True}}, 'P', 'EXPRESS')
r = sfn.start_sync_execution(stateMachineArn=ex, input='{}')
check('start-sync-execution: SUCCEEDED with its output',
      r['status'] == 'SUCCEEDED' and json.loads(r['output']) == 'done')
check('start-sync-execution: not for a STANDARD machine',
      error_of(sfn.start_sync_execution, stateMachineArn=pass3) == 'StateMachineTypeNotSupported')

# TestState
r = sfn.test_state(definition=json.dumps({'Type': 'Pass', 'Result': {'x': 1}, 'End': True}),
                   roleArn=ROLE, input='{}')
check('test-state: a Pass state', r['status'] == 'SUCCEEDED' and json.loads(r['output']) == {'x': 1})

# tags, describe-state-machine-for-execution, errors
sfn.tag_resource(resourceArn=pass3, tags=[{'key': 'team', 'value': 'a'}])
check('tags', sfn.list_tags_for_resource(resourceArn=pass3)['tags'] == [{'key': 'team', 'value': 'a'}])
r = sfn.describe_state_machine_for_execution(executionArn=arns[0])
check('describe-state-machine-for-execution', r['name'] == 'pass3' and 'Pass' in r['definition'])
check('describe-execution: ExecutionDoesNotExist',
      error_of(sfn.describe_execution, executionArn=arns[0] + 'x') == 'ExecutionDoesNotExist')
check('describe-execution: InvalidArn', error_of(sfn.describe_execution, executionArn='nope') == 'InvalidArn')
check('describe-state-machine: StateMachineDoesNotExist',
      error_of(sfn.describe_state_machine, stateMachineArn=pass3 + 'x') == 'StateMachineDoesNotExist')
print('done')
