"""Permission rules for the public face of giving (issue 23): program posters and the feeds."""

from tests.programs.factories import ProgramFactory
from tests.security.matrix import public

RULES = {
    # Anyone may print a public program's poster; a draft's is hidden (404, as its page).
    "programs:poster": ("face_published", public()),
    "programs:feed_rss": (None, public()),
    "programs:feed_atom": (None, public()),
}


def world_args(users):
    program = ProgramFactory(published=True, title="海報方案")
    return {"face_published": {"pk": program.pk}}
