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

moto answers a Query by walking and sorting every item of the table, on an index as on the
table itself, so the time of one page grew with the table (a page of 25 orders took 0.5 s at
100,000 orders) where DynamoDB reads one partition. This server keeps each index's items by
partition, in the order of its sort key, as DynamoDB does, and hands moto's Query only the
partition asked for, from the page's start key on (`_query` below); moto still evaluates the
conditions, limits and projections itself.

moto's Cognito takes AdminCreateUser with MessageAction RESEND as a second creation: it checks
that the account exists, then makes another account with the same address (a new `sub`). AWS
resends the invitation of the account that exists, with a new temporary password, and refuses
(UnsupportedUserStateException) once the account has signed in (its status is no longer
FORCE_CHANGE_PASSWORD). `_admin_create_user` below does what AWS does; like moto, it mails
nothing.

moto turns a DynamoDB answer into JSON with its generic serializer, which walks botocore's model
of the answer and looks up each of the ten members of every attribute value under several
aliases: about 65 ms per 100 items of a few attributes (140 of the 200 ms moto took for a Query
of 220 open checkouts), where DynamoDB answers such a Query in milliseconds, and the benchmark
measures the functions, not the stand-in. This server writes DynamoDB's attribute values
(`AttributeValue`, and the maps of them: items, keys) itself, exactly as moto's serializer
writes them (3 ms for those 220 items), and leaves everything else of the answer, errors
included, to moto (`_DynamoJSONSerializer` below). SHOP_MOTO_SERIALIZER=moto turns it off, for
shop.local.stack.MotoServerSerializerTest, which compares the two answers byte for byte.
"""
import bisect
import copy
import os
import secrets
import sys
import threading
import types

if sys.version_info < (3, 10):
    sys.exit("local/moto_server.py needs Python 3.10 or later (bisect with a key); this is " + sys.version.split()[0])

import moto.core.serialize as moto_serialize
import moto.dynamodb.models as dynamodb_models
from moto.core.utils import get_service_model
from moto.dynamodb.models import DynamoDBBackend, Table
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import GlobalSecondaryIndex
from moto.cognitoidp.models import CognitoIdpBackend, UserStatus
from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow
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


class _Partitions:
    """The items of one table's indexes by partition, each partition sorted as moto's Query sorts it."""

    def __init__(self, table):
        self.index_names = frozenset(i.name for i in table.all_indexes())
        self.layouts = {i.name: _layout(table, i) for i in table.all_indexes()}
        self.partitions = {name: {} for name in self.layouts}  # index -> partition key -> [(sort key, item)]
        self.entries = {}  # primary key -> [(index, partition key, sort key)]
        for item in table.all_items():
            self.add(item)

    def add(self, item):
        entries = []
        for name, (partition_attrs, sort_attrs) in self.layouts.items():
            values = [item.attrs.get(a) for a in partition_attrs + sort_attrs]
            if not all(values):
                continue  # DynamoDB leaves an item out of an index that lacks one of its keys
            partition = copy.deepcopy(tuple(values[:len(partition_attrs)]))
            sort_key = copy.deepcopy(tuple(values[len(partition_attrs):]))
            bisect.insort(self.partitions[name].setdefault(partition, []), (sort_key, item), key=_sort_key)
            entries.append((name, partition, sort_key))
        self.entries[_primary_key(item)] = entries

    def remove(self, primary_key):
        for name, partition, sort_key in self.entries.pop(primary_key, []):
            sorted_items = self.partitions[name][partition]
            at = bisect.bisect_left(sorted_items, sort_key, key=_sort_key)
            del sorted_items[at]
            if not sorted_items:
                del self.partitions[name][partition]

    def candidates(self, index_name, hash_key_conditions, exclusive_start_key, forward):
        """The partition a Query asks for, from its start key on; None where moto must walk the table."""
        partition_attrs, sort_attrs = self.layouts[index_name]
        conditions = dict(hash_key_conditions or [])
        if set(conditions) != set(partition_attrs):
            return None
        sorted_items = self.partitions[index_name].get(tuple(conditions[a] for a in partition_attrs), [])
        if exclusive_start_key:
            if not all(a in exclusive_start_key for a in sort_attrs):
                return None
            start = tuple(DynamoType(exclusive_start_key[a]) for a in sort_attrs)
            sorted_items = (sorted_items[bisect.bisect_right(sorted_items, start, key=_sort_key):] if forward
                            else sorted_items[:bisect.bisect_left(sorted_items, start, key=_sort_key)])
        return [item for _, item in sorted_items]


def _sort_key(entry):
    return entry[0]


def _primary_key(item):
    return item.hash_key, item.range_key


def _layout(table, index):
    """An index's partition attributes, and the attributes moto sorts its Query by after them."""
    hash_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    range_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    if range_attrs:
        moto_range_attrs = range_attrs + [table.range_key_attr]
    elif isinstance(index, GlobalSecondaryIndex) and table.range_key_attr:
        moto_range_attrs = [table.range_key_attr, table.range_key_attr]
    else:
        moto_range_attrs = [table.hash_key_attr, table.range_key_attr]
    sort_attrs = table._generate_attr_to_sort_by(hash_attrs + [table.hash_key_attr], moto_range_attrs)
    return hash_attrs, sort_attrs[len(hash_attrs):]


def _partitions(table):
    """Built on first use and again when the table's indexes change (UpdateTable can add one)."""
    partitions = getattr(table, "_shop_partitions", None)
    if partitions is None or partitions.index_names != frozenset(i.name for i in table.all_indexes()):
        partitions = table._shop_partitions = _Partitions(table)
    return partitions


def _reindex(table, primary_key):
    partitions = _partitions(table)
    partitions.remove(primary_key)
    item = table.get_item(*primary_key)
    if item is not None:
        partitions.add(item)


_moto_put_item = Table.put_item
_moto_delete_item = Table.delete_item
_moto_update_item = DynamoDBBackend.update_item
_moto_query = Table.query


def _put_item(self, *args, **kwargs):
    item = _moto_put_item(self, *args, **kwargs)
    _reindex(self, _primary_key(item))
    return item


def _delete_item(self, hash_key, range_key=None):
    item = _moto_delete_item(self, hash_key, range_key)
    if item is not None:
        _partitions(self).remove(_primary_key(item))
    return item


def _update_item(self, table_name, key, *args, **kwargs):
    """moto changes the item in place: index it again afterwards, whether or not the update went through."""
    try:
        return _moto_update_item(self, table_name, key, *args, **kwargs)
    finally:
        try:
            table = self.get_table(table_name)
            primary_key = self.get_keys_value(table, key)
        except Exception:
            primary_key = None  # moto refused the table or the key: it wrote nothing
        if primary_key is not None:
            _reindex(table, primary_key)


def _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
           projection_expressions, index_name=None, consistent_read=False, filter_expression=None,
           hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
    """moto's Query over the one partition asked for instead of every item of the table."""
    if index_name is None:
        partition = self.items.get(hash_key) if hash_key is not None else None
        candidates = [] if partition is None else list(partition.values()) if self.range_key_attr else [partition]
    else:
        partitions = _partitions(self)
        candidates = (partitions.candidates(index_name, hash_key_conditions, exclusive_start_key,
                                            scan_index_forward is not False)
                      if index_name in partitions.layouts else None)  # an unknown index: moto refuses it
    if candidates is not None:
        self.all_items = lambda: candidates
        self.sorted_items = lambda hash_attrs, range_attrs, items: items  # already in moto's order
    try:
        return _moto_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                           scan_index_forward, projection_expressions, index_name, consistent_read,
                           filter_expression, hash_key_conditions=hash_key_conditions,
                           range_key_conditions=range_key_conditions, **filter_kwargs)
    finally:
        self.__dict__.pop("all_items", None)
        self.__dict__.pop("sorted_items", None)


Table.put_item = _put_item
Table.delete_item = _delete_item
Table.query = _query
DynamoDBBackend.update_item = _update_item


class UnsupportedUserStateException(JsonRESTError):
    def __init__(self, message):
        super().__init__("UnsupportedUserStateException", message)


_moto_admin_create_user = CognitoIdpBackend.admin_create_user


def _admin_create_user(self, user_pool_id, username, message_action, temporary_password, attributes):
    if message_action != "RESEND":
        return _moto_admin_create_user(self, user_pool_id, username, message_action, temporary_password, attributes)
    user = self.admin_get_user(user_pool_id, username)  # UserNotFoundException, as AWS answers
    if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
        raise UnsupportedUserStateException(
            f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD.")
    # A new temporary password: the one mailed before stops working, as on AWS.
    user.password = temporary_password or ("Tmp-" + secrets.token_urlsafe(12) + "a1!")
    user.last_modified_date = utcnow()
    return user


CognitoIdpBackend.admin_create_user = _admin_create_user


_SLOW = object()  # a value only moto's generic serializer knows how to write


class _DynamoJSONSerializer(moto_serialize.JSONSerializer):
    """moto's JSON serializer, with DynamoDB's attribute values and maps of them written directly.

    Writes what the generic one writes for the values moto's DynamoDB produces (dicts of the
    model's members, lists, strings, bytes, booleans): the members in the model's order, a
    member that is None left out, S, N, NULL and BOOL as they are, B and BS in base64, an
    item None in a list kept as null; anything else goes to the generic serializer whole.
    """

    def _serialize(self, serialized, value, shape, key):
        written = _SLOW
        if key and shape.type_name == "structure" and shape.name == "AttributeValue":
            written = self._attribute_value(value)
        elif key and shape.type_name == "map" and shape.value.name == "AttributeValue":
            written = self._attribute_map(value)
        if written is _SLOW:
            super()._serialize(serialized, value, shape, key)
        else:
            serialized[self.get_serialized_name(shape, key)] = written

    def _attribute_map(self, value):
        if type(value) is not dict:
            return _SLOW
        written = {}
        for name, attribute in value.items():
            if not name:
                return _SLOW  # moto writes the members of an attribute named "" into the map itself
            if attribute is not None:
                written[name] = self._attribute_value(attribute)
                if written[name] is _SLOW:
                    return _SLOW
        return written

    def _attribute_value(self, value):
        if type(value) is not dict or not _ATTRIBUTE_VALUE_MEMBERS.issuperset(value):
            return _SLOW
        written = {}
        for member in (value if len(value) == 1 else [m for m in _ATTRIBUTE_VALUE_ORDER if m in value]):
            if value[member] is not None:
                written[member] = self._member(member, value[member])
                if written[member] is _SLOW:
                    return _SLOW
        return written

    def _member(self, member, value):
        if member in ("S", "N", "NULL", "BOOL"):
            return value
        if member == "B":
            return self._base64(value) if isinstance(value, (bytes, str)) else _SLOW
        if member == "M":
            return self._attribute_map(value)
        if type(value) is not list:
            return _SLOW
        if member == "L":
            items = [None if v is None else self._attribute_value(v) for v in value]
        elif member == "BS":
            items = [self._base64(v) if isinstance(v, (bytes, str)) else _SLOW for v in value]
        else:  # SS, NS
            items = list(value)
        return _SLOW if any(v is _SLOW for v in items) else items


def _attribute_value_model():
    """AttributeValue's members in the model's order, each with its type (and its items' type)."""
    shape = get_service_model("dynamodb").shape_for("AttributeValue")
    return tuple((name, member.type_name, getattr(getattr(member, "member", None), "name", None),
                  getattr(getattr(member, "value", None), "name", None)) for name, member in shape.members.items())


_ATTRIBUTE_VALUE_MODEL = (
    ("S", "string", None, None), ("N", "string", None, None), ("B", "blob", None, None),
    ("SS", "list", "StringAttributeValue", None), ("NS", "list", "NumberAttributeValue", None),
    ("BS", "list", "BinaryAttributeValue", None), ("M", "map", None, "AttributeValue"),
    ("L", "list", "AttributeValue", None), ("NULL", "boolean", None, None), ("BOOL", "boolean", None, None))
_ATTRIBUTE_VALUE_ORDER = tuple(m[0] for m in _ATTRIBUTE_VALUE_MODEL)
_ATTRIBUTE_VALUE_MEMBERS = frozenset(_ATTRIBUTE_VALUE_ORDER)

if os.environ.get("SHOP_MOTO_SERIALIZER") == "moto":
    _SERIALIZER = "moto's serializer (SHOP_MOTO_SERIALIZER=moto)"
elif _attribute_value_model() != _ATTRIBUTE_VALUE_MODEL:
    _SERIALIZER = "moto's serializer (botocore's AttributeValue is not the one _DynamoJSONSerializer knows)"
else:
    moto_serialize.SERVICE_SPECIFIC_SERIALIZERS.setdefault("dynamodb", {})["json"] = _DynamoJSONSerializer
    _SERIALIZER = "_DynamoJSONSerializer"


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    one_at_a_time = threading.Lock()

    def serialised(environ, start_response):
        with one_at_a_time:
            return list(app(environ, start_response))

    print("local/moto_server.py: DynamoDB answers written by " + _SERIALIZER, file=sys.stderr, flush=True)
    run_simple(host, port, serialised, threaded=True)


if __name__ == "__main__":
    main()
