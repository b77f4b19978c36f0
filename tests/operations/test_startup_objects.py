"""Start-up's objects are frozen out of the garbage collector's full collections (a full
collection over them stopped every request for about 50 ms)."""

import gc


def test_the_served_app_freezes_what_start_up_built(http):
    assert http.get("/health").status_code in (200, 503)
    # Modules, the schema and the documents: far more than any test's own objects.
    assert gc.get_freeze_count() > 50_000
