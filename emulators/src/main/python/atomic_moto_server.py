"""moto_server with DynamoDB's one-item-at-a-time guarantee.

DynamoDB evaluates a condition and applies the write as one step: two conditional writes to one item never both
pass. moto's server is threaded and its DynamoDB backend takes no lock, so two concurrent UpdateItem calls can
both see the same old item (found by the pacing table's contract test: two dispatchers were handed one slot). This
wraps the backend's item operations in one lock, then starts moto_server as usual (same arguments).
"""
import sys
import threading

from moto.dynamodb.models import DynamoDBBackend

_lock = threading.RLock()

for _name in ("put_item", "update_item", "delete_item", "get_item", "transact_write_items",
              "query", "scan", "batch_get_item", "batch_write_item", "execute_statement", "execute_transaction"):
    _original = getattr(DynamoDBBackend, _name, None)
    if _original is None:
        continue

    def _atomic(self, *args, _original=_original, **kwargs):
        with _lock:
            return _original(self, *args, **kwargs)

    setattr(DynamoDBBackend, _name, _atomic)

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())
