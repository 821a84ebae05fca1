"""moto in server mode, answering one request at a time.

moto's TransactWriteItems rolls back a cancelled transaction by restoring a copy of the whole
table taken when it began; with moto_server's threads, that restore can erase a transaction
another thread committed meanwhile. Real DynamoDB serializes transactions, so serving requests
one at a time is the faithful emulation for the lease tests.
"""

import argparse
import os

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5055)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, app, threaded=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
