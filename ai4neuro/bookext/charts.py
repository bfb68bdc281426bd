"""(to be written)"""


def setup(app) -> None:
    pass
