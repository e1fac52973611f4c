"""Counters pressing "next" at the same instant: each ticket goes to exactly one counter."""
import threading

from app.clock import now
from app.db import database
from app.models import Counter, ServiceGroup, Ticket, User
from app.services import queue

TICKETS = 24
COUNTERS = 4


def test_concurrent_next_never_gives_one_ticket_to_two_counters(app):
    with database.connection_context():
        group = ServiceGroup.create(name="Tiếp nhận hồ sơ", code="tiep-nhan")
        for _ in range(TICKETS):
            queue.issue(group, False, now())
        counters = [Counter.create(name=f"Quầy {number}", order=number) for number in range(1, COUNTERS + 1)]
        officer = User.get(User.username == "tiepnhan")
    start = threading.Barrier(COUNTERS)
    called: dict[int, list[str]] = {counter.id: [] for counter in counters}
    errors = []

    def counter_presses_next(counter):
        try:
            with app.app_context(), database.connection_context():
                seen = ""
                start.wait()
                while True:
                    outcome = queue.call_next(counter, officer, seen, now())
                    if outcome.ticket is None:
                        return
                    seen = str(outcome.ticket.id)
                    called[counter.id].append(outcome.ticket.label)
        except Exception as error:  # the test reports it below
            errors.append(error)

    threads = [threading.Thread(target=counter_presses_next, args=(counter,)) for counter in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    every_call = [label for labels in called.values() for label in labels]
    assert sorted(every_call, key=int) == [str(number) for number in range(1, TICKETS + 1)]
    with database.connection_context():
        assert Ticket.select().where(Ticket.status == "done").count() == TICKETS
