"""Large loads and publications never keep other people's saves waiting.

A load is written in batches of short transactions into an incomplete run that
nobody sees; a failure removes everything it wrote.  Publishing computes the
protected tables with no transaction open, under one publishing lock, and
swaps each indicator in with a short transaction.  These tests run outside
the per-test transaction (``transactional_db``) so that "no transaction is
open" means what it says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jamlik.indicators import publication, staging
from jamlik.indicators.models import (
    ImportRun,
    Indicator,
    Observation,
    PublicObservation,
    PublishingLock,
)
from jamlik.indicators.queries import Visibility
from jamlik.indicators.services import store_batches, sync_catalogue
from jamlik.sources import Observation as Obs
from jamlik.sources.errors import ImportProblem, ImportValidationError
from jamlik.sources.observations import ObservationBatch

pytestmark = pytest.mark.django_db(transaction=True)
KOMMUNER = ("0114", "0115", "0117", "0120", "0123", "0125", "0127", "0128")


def _batch(year: int, numerator: float = 40.0) -> ObservationBatch:
    return ObservationBatch.from_observations(
        [
            Obs("U01405", code, str(year), numerator=numerator, denominator=100.0)
            for code in KOMMUNER
        ]
    )


@pytest.fixture
def catalogue(geography):  # noqa: ANN001, ANN201
    sync_catalogue()
    return Indicator.objects.get(code="U01405")


def test_a_load_is_written_in_short_transactions_into_a_run_nobody_sees(catalogue) -> None:  # noqa: ANN001
    seen: list[tuple[bool, bool, bool]] = []

    def batches() -> Iterator[ObservationBatch]:
        for year in (2020, 2021, 2022):
            yield _batch(year)
            run = ImportRun.objects.get()
            seen.append(
                (
                    connection.in_atomic_block,
                    run.complete,
                    run.pk in Visibility.for_user(None).hidden_runs,
                )
            )
            with pytest.raises(staging.IncompleteRun):
                staging.publish(run, user=None)

    run = store_batches(batches(), kind=ImportRun.Kind.FILE, description="three years")
    # Between batches: no transaction held, the run incomplete and hidden from everyone.
    assert seen == [(False, False, False)] * 3
    run.refresh_from_db()
    assert (run.complete, run.rows, run.created, run.updated) == (True, 24, 24, 0)
    assert run.pk in Visibility.for_user(None).hidden_runs  # now a normal staged run
    assert Observation.objects.filter(import_run=run, is_live=False).count() == 24


def test_a_load_that_fails_half_way_leaves_nothing_behind(catalogue) -> None:  # noqa: ANN001
    def batches() -> Iterator[ObservationBatch]:
        yield _batch(2020)
        yield _batch(2021)
        raise ImportValidationError([ImportProblem("f.csv", 9, "value", "x", "a number")])

    with pytest.raises(ImportValidationError):
        store_batches(batches(), kind=ImportRun.Kind.FILE, description="broken at the end")
    assert not ImportRun.objects.exists()
    assert not Observation.objects.exists()


def test_publishing_computes_with_no_transaction_open_and_equals_a_rebuild(
    catalogue, monkeypatch
) -> None:  # noqa: ANN001
    first = store_batches(iter([_batch(2020), _batch(2021)]), kind="file", description="a")
    staging.publish(first, user=None)
    second = store_batches(iter([_batch(2021, 55.0)]), kind="file", description="b")
    # Loading the file again (changed) takes nothing from the public until it is published.
    public = PublicObservation.objects.filter(indicator=catalogue)
    assert set(public.values_list("numerator", flat=True)) == {40.0}
    assert public.count() == 2 * len(KOMMUNER)
    # What publishing will compute on equals the live rows after it, row for row.
    ahead = publication.prospective_frame(catalogue, adding=second)
    opened: list[bool] = []
    protect = publication.protect_frame

    def watched(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        opened.append(connection.in_atomic_block)
        return protect(*args, **kwargs)

    monkeypatch.setattr(publication, "protect_frame", watched)
    staging.publish(second, user=None)
    assert opened == [False]
    after = publication.live_frame(catalogue)
    assert ahead.equals(after)
    assert sorted(after["numerator"].unique()) == [40.0, 55.0]
    # Withdrawing: the same, the other way.
    behind = publication.prospective_frame(catalogue, removing=second)
    staging.withdraw(second)
    assert behind.equals(publication.live_frame(catalogue))
    assert opened == [False, False]


def test_open_sources_replace_and_delete_what_they_reload(catalogue) -> None:  # noqa: ANN001
    first = store_batches(iter([_batch(2020)]), kind="kolada", description="kolada 1")
    second = store_batches(iter([_batch(2020, 41.0)]), kind="kolada", description="kolada 2")
    first.refresh_from_db()
    assert second.published and second.updated == len(KOMMUNER)
    assert not Observation.objects.filter(import_run=first).exists()
    assert set(Observation.objects.values_list("numerator", flat=True)) == {41.0}


def test_publishing_lock_is_exclusive_reentrant_and_taken_over_when_stale(catalogue) -> None:  # noqa: ANN001
    with publication.publishing_lock() as token:
        with publication.publishing_lock() as again:  # the same thread may nest
            assert again == token
        assert not publication._claim("someone else")
        holder = PublishingLock.objects.get(pk=1).holder
        assert holder == token
    assert PublishingLock.objects.get(pk=1).holder == ""
    assert publication._claim("someone else")
    with pytest.raises(publication.PublishingBusy), publication.publishing_lock(wait=0):
        pass  # pragma: no cover - refused before
    PublishingLock.objects.filter(pk=1).update(
        since=timezone.now() - publication.LOCK_STALE - timedelta(seconds=1)
    )
    with publication.publishing_lock(wait=0) as token:  # a holder that died is replaced
        assert PublishingLock.objects.get(pk=1).holder == token


def test_init_removes_loads_that_died(catalogue) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area

    run = ImportRun.objects.create(kind="file", description="killed", complete=False)
    Observation.objects.create(
        indicator=catalogue,
        area=Area.objects.get(code="0127"),
        period="2020",
        period_start=2020,
        period_end=2020,
        is_live=False,
        import_run=run,
    )
    assert staging.discard_abandoned() == 0  # it may still be running
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - staging.ABANDONED_AFTER - timedelta(minutes=1)
    )
    assert staging.discard_abandoned() == 1
    assert not Observation.objects.exists()


def test_runs_page_shows_a_run_being_stored_without_a_publish_button(catalogue, client_for) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area

    run = ImportRun.objects.create(kind="file", description="File big.csv", complete=False)
    Observation.objects.create(
        indicator=catalogue,
        area=Area.objects.get(code="0127"),
        period="2020",
        period_start=2020,
        period_end=2020,
        is_live=False,
        import_run=run,
    )
    page = client_for("lan01").get("/lagesbild/lan/01/importer/")  # Swedish by default
    text = page.content.decode()
    assert "lagras" in text and "kan publiceras när den är lagrad" in text
    assert f"/importer/{run.pk}/publicering/" not in text
    refused = client_for("lan01").post(
        f"/lagesbild/lan/01/importer/{run.pk}/publicering/", {"action": "publish"}
    )
    assert refused.status_code == 302
    run.refresh_from_db()
    assert not run.published
