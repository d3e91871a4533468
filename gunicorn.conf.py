"""Gunicorn settings read by every server this project starts (make run, the benchmarks, the tests).

Gunicorn loads ./gunicorn.conf.py by itself; worker class and bind address stay on the command line.
"""

# Each open Socket.IO connection holds one of a gevent worker's connections, and gunicorn's default
# of 1,000 turned reader 1,001 away (measured with bench/sio_clients.py: 1,200 readers, 200 timed out).
worker_connections = 10_000


def pre_request(worker, req):
    """Under gevent, let the worker's other connections take a turn before this request runs.

    A keep-alive connection whose next request is already waiting would otherwise be served again and
    again while others wait: measured here, hello-world's p99 fell from 80–380 ms to under 20 ms.
    """
    if type(worker).__module__ == "gunicorn.workers.ggevent":
        import gevent

        gevent.sleep(0)
