"""moto's server for the local stack, one request at a time.

`python3 -m moto.server` serves each request on its own thread, and moto's DynamoDB does not
lock: two conditional writes racing on one item can both pass their condition, and a cancelled
TransactWriteItems puts back a copy of every table it touched, taken when it began, over
whatever other requests wrote meanwhile. DynamoDB itself serialises the writes of an item and
isolates transactions, and the tests race checkouts and webhooks on purpose, so this server
lets one request into moto at a time (connections are still accepted in parallel).

    python3 local/moto_server.py HOST PORT
"""
import os
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    one_at_a_time = threading.Lock()

    def serialised(environ, start_response):
        with one_at_a_time:
            return list(app(environ, start_response))

    run_simple(host, port, serialised, threaded=True)


if __name__ == "__main__":
    main()
