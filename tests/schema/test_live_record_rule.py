"""A live record's access: fetching it (a port: the connector, over HTTP) is apart from deciding on it (the record
rule, which makes no call of its own).

A live case becomes the read model's records, primed into the unit's loaders by the fetch; the rule then decides on
those records alone. Here the fetch is a fake that hands over a record without any HTTP (the hub has no connector
at all): the rule answers for the jurisdiction and for confidentiality from that record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories import BIHAR, WB, exchange_record
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.resolvers import remote_cases
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.resolvers.remote_cases import RemoteCase, prime, provisional_cases, remote_id
from trackchild_hub.services import record_rule
from trackchild_hub.store.case_records import ChildRecord, GuardianRecord, MissingCaseRecord
from trackchild_hub.store.live_records import LiveMissingCaseRecord

WB_POLICE = Principal.for_agency(Agency.POLICE, subject="wb-1", state=WB)
BIHAR_POLICE = Principal.for_agency(Agency.POLICE, subject="br-1", state=BIHAR)
WB_CWC = Principal.for_agency(Agency.CWC, subject="cwc-1", state=WB)


def _live(n: int, *, confidential: bool) -> RemoteCase:
    record = exchange_record(n)
    record["child"]["confidential"] = confidential
    [remote] = provisional_cases([parse_exchange_record(record)], datetime.now(UTC))
    return remote


class FakeFetch:
    """The fetch port without any HTTP: hands over the record a state system would have answered with."""

    def __init__(self, remote: RemoteCase) -> None:
        self.remote, self.calls = remote, list[tuple[str, str]]()

    async def __call__(self, ctx: Context, source: str, external_id: str) -> RemoteCase:
        self.calls.append((source, external_id))
        prime(ctx, self.remote)
        return self.remote


async def _visible(
    store: Services, principal: Principal, remote: RemoteCase, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    """What the rule answers for the live case and its child; the fetch was asked once, for that case."""
    fetch = FakeFetch(remote)
    monkeypatch.setattr(remote_cases, "fetch_remote", fetch)
    assert store.connectors == ()  # nothing to call over HTTP at all
    async with store.sessions() as session:
        ctx = Context(services=store, session=session, principal=principal)
        case_id = remote_id(remote.case.source, remote.case.external_id or "")
        shown = await record_rule.visible_case(ctx, case_id), await record_rule.visible_child(ctx, remote.child.id)
    assert fetch.calls == [(remote.case.source, remote.case.external_id)]
    return shown


async def test_the_rule_decides_on_the_records_the_fetch_port_hands_over(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = _live(1, confidential=False)
    assert type(remote.row) is LiveMissingCaseRecord
    assert isinstance(remote.row, MissingCaseRecord)
    assert type(remote.child) is ChildRecord
    assert all(type(g) is GuardianRecord for g in remote.guardians)
    assert remote.guardians

    case, child = await _visible(store, WB_POLICE, remote, monkeypatch)
    assert case is remote.row  # the very record, not an ORM row made from it
    assert child is remote.child
    assert await _visible(store, BIHAR_POLICE, remote, monkeypatch) == (None, None)  # another state's officer

    hidden = _live(2, confidential=True)
    assert await _visible(store, WB_POLICE, hidden, monkeypatch) == (None, None)  # police: no confidential children
    case, child = await _visible(store, WB_CWC, hidden, monkeypatch)
    assert case is hidden.row
    assert child is hidden.child
