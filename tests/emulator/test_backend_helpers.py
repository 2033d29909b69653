"""In-process checks of the helpers every backend module shares: NextTokens and Region-scoped reads."""

from __future__ import annotations

import pytest

from emulator.backend.list_pages import list_answer
from emulator.backend.next_tokens import decode_token, encode_token
from emulator.backend.resources import check_quota, get_in_region
from emulator.errors import BadRequestError, NotFoundError, ResourceLimitExceededError
from emulator.store import Store


def test_a_token_only_decodes_as_its_own_kind() -> None:
    offset, after = encode_token("offset", "20"), encode_token("after", "12065550100")
    assert decode_token(offset, "offset") == "20"
    assert decode_token(after, "after") == "12065550100"
    for token, kind in ((offset, "after"), (after, "offset"), ("garbage", "offset"),
                        (encode_token("offset", "-1"), "offset")):
        with pytest.raises(BadRequestError, match="NextToken"):
            decode_token(token, kind)


def test_list_answer_pages_and_ends_without_a_token() -> None:
    items = [{"n": i} for i in range(5)]
    first = list_answer("Things", items, {"MaxResults": 2})
    assert first["Things"] == items[:2]
    second = list_answer("Things", items, {"MaxResults": 2, "NextToken": first["NextToken"]})
    assert second["Things"] == items[2:4]
    last = list_answer("Things", items, {"MaxResults": 2, "NextToken": second["NextToken"]})
    assert last == {"Things": items[4:]}


def test_region_scoped_reads_see_only_their_region() -> None:
    store = Store()
    with store.transaction() as tx:
        tx.put("thing", "t1", {"Id": "t1"}, "us-west-2")
        assert tx.get("thing", "t1") == {"Id": "t1"}
        assert tx.get("thing", "t1", "us-west-2") == {"Id": "t1"}
        assert tx.get("thing", "t1", "us-east-1") is None
        assert get_in_region(tx, "thing", "t1", "us-west-2", "Thing") == {"Id": "t1"}
        with pytest.raises(NotFoundError, match="Thing t1 not found in us-east-1"):
            get_in_region(tx, "thing", "t1", "us-east-1", "Thing")
    store.close()


def test_quota_allows_up_to_the_limit() -> None:
    check_quota(held=4, adding=1, limit=5, message="full")
    with pytest.raises(ResourceLimitExceededError, match="full"):
        check_quota(held=4, adding=2, limit=5, message="full")
