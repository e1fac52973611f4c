"""A served process's clock, faked through MOTCUA_CLOCK_FILE the way the browser tests fake it."""
import datetime
import re
import urllib.request

from tests.browser.conftest import Server

TET_FRIDAY = datetime.datetime(2027, 1, 29, 15, 30)
QUARTER_MORNING = datetime.datetime(2027, 4, 1, 7, 30)


def board_moment(server) -> datetime.datetime:
    """The moment the wall board's status fragment says the server's clock shows."""
    request = urllib.request.Request(server.url + "/bang-tin/trang-thai", headers={"HX-Request": "true"})
    with urllib.request.urlopen(request, timeout=10) as response:
        html = response.read().decode()
    return datetime.datetime.fromisoformat(re.search(r'data-server-now="([^"]+)"', html).group(1))


def test_the_server_shows_its_faked_moment_and_moves_when_told(tmp_path):
    server = Server(tmp_path, clock=TET_FRIDAY).start()
    try:
        shown = board_moment(server)
        assert TET_FRIDAY <= shown < TET_FRIDAY + datetime.timedelta(minutes=2)

        server.set_clock(QUARTER_MORNING, running=False)
        assert board_moment(server) == QUARTER_MORNING
    finally:
        server.stop()
