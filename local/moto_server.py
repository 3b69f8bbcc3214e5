"""moto's server for the local stack, one request at a time.

`python3 -m moto.server` serves each request on its own thread, and moto's DynamoDB does not
lock: two conditional writes racing on one item can both pass their condition, and a cancelled
TransactWriteItems puts back a copy of every table it touched, taken when it began, over
whatever other requests wrote meanwhile. DynamoDB itself serialises the writes of an item and
isolates transactions, and the tests race checkouts and webhooks on purpose, so this server
lets one request into moto at a time (connections are still accepted in parallel).

    python3 local/moto_server.py HOST PORT

moto's TransactWriteItems also backs up every table it touches by copying the whole table
before each transaction, to put it back if the transaction is cancelled: the time of a
transaction grows with the table, and the copies piled up to 20 GB of memory in one benchmark
run. DynamoDB isolates a transaction per item, so this server backs up only the items the
transaction names and puts those back (`_transact_write_items` below).
"""
import copy
import os
import sys
import threading
import types

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend, Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def _deepcopy_but_not_tables(value, memo=None):
    """moto's `copy.deepcopy` of a whole table becomes the table itself: its rollback is a no-op."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


_moto_transact_write_items = DynamoDBBackend.transact_write_items


def _item_key(backend, op_type, op):
    table = backend.get_table(op["TableName"])
    if op_type != "Put":
        return op["Key"]
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def _transact_write_items(self, transact_items):
    """moto's transaction with an undo log of the items it names, taken before it writes any."""
    undo = []
    for entry in transact_items:
        try:
            op_type, op = next(iter(entry.items()))
            key = _item_key(self, op_type, op)
            before = self.get_item(op["TableName"], key)
        except Exception:
            continue  # an unknown table or a malformed operation: moto itself refuses it, having written nothing
        undo.append((op["TableName"], key, copy.deepcopy(before.to_json()["Attributes"]) if before else None))
    try:
        return _moto_transact_write_items(self, transact_items)
    except Exception:
        for table_name, key, attributes in reversed(undo):
            if attributes is None:
                self.get_table(table_name).delete_item(*self.get_keys_value(self.get_table(table_name), key))
            else:
                self.put_item(table_name, attributes)
        raise


dynamodb_models.copy = types.SimpleNamespace(deepcopy=_deepcopy_but_not_tables)
DynamoDBBackend.transact_write_items = _transact_write_items


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
