#!/usr/bin/env python3
"""bench/serve-load.py - load for asl serve: N clients, each on one
keep-alive connection, calling one operation M times.

usage: serve-load.py PORT CLIENTS COUNT OPERATION JSON-TEMPLATE
The template's {i} becomes a number unique to each request.  Prints
"requests=N seconds=S rate=R p50_ms=A p99_ms=B errors=E" on stdout.
"""
import http.client, multiprocessing, sys, time

port, clients, count, op, template = (int(sys.argv[1]), int(sys.argv[2]),
                                      int(sys.argv[3]), sys.argv[4], sys.argv[5])
HEADERS = {'Content-Type': 'application/x-amz-json-1.0',
           'X-Amz-Target': 'AWSStepFunctions.' + op}


def client(k, out):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    lat, errors = [], 0
    for n in range(count):
        body = template.replace('{i}', '%d-%d' % (k, n))
        t = time.perf_counter()
        c.request('POST', '/', body, HEADERS)
        r = c.getresponse()
        r.read()
        lat.append(time.perf_counter() - t)
        errors += r.status != 200
    out.put((lat, errors))


if __name__ == '__main__':
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=client, args=(k, q)) for k in range(clients)]
    t0 = time.perf_counter()
    for p in ps:
        p.start()
    lat, errors = [], 0
    for p in ps:
        l, e = q.get()
        lat += l
        errors += e
    for p in ps:
        p.join()
    secs = time.perf_counter() - t0
    lat.sort()
    print('requests=%d seconds=%.2f rate=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d' % (
        len(lat), secs, len(lat) / secs, 1000 * lat[len(lat) // 2],
        1000 * lat[int(len(lat) * 0.99)], errors))
