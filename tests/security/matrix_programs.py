"""Permission rules for the programs app's later URLs (issue 23): program posters and the feeds."""

from tests.programs.factories import ProgramFactory
from tests.security.matrix import public

RULES = {
    # Anyone may print a public program's poster; a draft's is hidden (404, as its page).
    "programs:poster": ("programs_poster_program", public()),
    "programs:feed_rss": (None, public()),
    "programs:feed_atom": (None, public()),
}


def world_args(users):
    program = ProgramFactory(published=True, title="海報方案")
    return {"programs_poster_program": {"pk": program.pk}}
