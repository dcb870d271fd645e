"""Known values of an action's `informations.state`.

The state stays a plain `int` on the models: NP6 returns values outside its own 8.1.0 enum (100 for archived
actions), and a closed enum would make such an answer unparseable.
"""

from __future__ import annotations

import enum

__all__ = ["ActionState"]


class ActionState(enum.IntEnum):
    """The known states of an action, numbered as NP6 numbers them (in the order of its workflow).

    An `IntEnum`: it compares with the plain `int` the models hold, e.g. `state == ActionState.VALIDATED`.
    """

    CREATED = 10  # minimal draft
    DRAFT = 20  # draft with content
    TEST_VALIDATED = 38  # test phase passed: only the test segments can receive it
    WAITING_VALIDATION = 40
    VALIDATED = 50  # validated for production: sendable
    SENT = 80  # seen on campaigns
    DELETED = 90
    ARCHIVED = 100  # read-only
