"""(to be written)"""


def setup(app) -> None:
    app.add_config_value("ai4neuro_include_drafts", True, "env")
