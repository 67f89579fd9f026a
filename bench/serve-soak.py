#!/usr/bin/env python3
"""bench/serve-soak.py - a soak of asl serve: CLIENTS keep-alive clients
send COUNT requests in all, a tenth of them malformed (JSON cut short, an
unknown operation, a member of the wrong type), the rest StartExecution
of a STANDARD machine that waits a second and echoes its input.  Each
client writes the executions whose start was acknowledged (200) to
OUT.CLIENT, one "ARN INPUT" line each.  A refused connection (the server
being restarted) is retried, never counted as acknowledged.

usage: serve-soak.py PORTFILE CLIENTS COUNT MACHINE_ARN OUT
PORTFILE is read again after each refused connection.
"""
import http.client, json, multiprocessing, sys, time

portfile, clients, count, sm, out = (sys.argv[1], int(sys.argv[2]),
                                     int(sys.argv[3]), sys.argv[4], sys.argv[5])


def port():
    while True:
        try:
            p = open(portfile).read().strip().rsplit(':', 1)[1]
            if p:
                return int(p)
        except (OSError, IndexError):
            pass
        time.sleep(0.05)


def request(k, n):
    # one in ten malformed, of three kinds in turn
    bad = n // 10 % 3 if n % 10 == 3 else -1
    if bad == 0:
        return 'StartExecution', '{"stateMachineArn": "' + sm, None
    if bad == 1:
        return 'NoSuchOperation', '{}', None
    if bad == 2:
        return 'StartExecution', json.dumps({'stateMachineArn': [sm]}), None
    data = json.dumps({'client': k, 'n': n})
    return 'StartExecution', json.dumps({'stateMachineArn': sm, 'name': 's%d-%d' % (k, n),
                                         'input': data}), data


def client(k, q):
    acked = open('%s.%d' % (out, k), 'w')
    c, stats = None, {'ok': 0, 'malformed_answered': 0, 'retried': 0, 'other': 0}
    for n in range(k, count, clients):
        op, body, data = request(k, n)
        while True:
            try:
                if c is None:
                    c = http.client.HTTPConnection('127.0.0.1', port(), timeout=30)
                c.request('POST', '/', body, {'X-Amz-Target': 'AWSStepFunctions.' + op,
                                              'Content-Type': 'application/x-amz-json-1.0'})
                r = c.getresponse()
                text = r.read()
                break
            except (OSError, http.client.HTTPException):
                c = None
                stats['retried'] += 1
                time.sleep(0.05)
        if data is None:
            stats['malformed_answered' if r.status == 400 else 'other'] += 1
        elif r.status == 200:
            stats['ok'] += 1
            acked.write('%s %s\n' % (json.loads(text)['executionArn'], data))
        else:
            # a start retried after a restart finds the one it made: its name
            e = json.loads(text).get('__type')
            stats['ok' if e == 'ExecutionAlreadyExists' else 'other'] += 1
            if e == 'ExecutionAlreadyExists':
                acked.write('%s:%s %s\n' % (sm.replace(':stateMachine:', ':execution:'),
                                            's%d-%d' % (k, n), data))
    acked.close()
    q.put(stats)


if __name__ == '__main__':
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=client, args=(k, q)) for k in range(clients)]
    t0 = time.time()
    for p in ps:
        p.start()
    total = {}
    for p in ps:
        for key, v in q.get().items():
            total[key] = total.get(key, 0) + v
    for p in ps:
        p.join()
    print(' '.join('%s=%d' % kv for kv in sorted(total.items())) +
          ' seconds=%.1f' % (time.time() - t0))
