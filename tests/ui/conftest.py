from __future__ import annotations

import pytest

from ui.application import create_application, install_translators


@pytest.fixture
def app(qapp):
    """The one QApplication of the run, with the bundled font and style applied."""
    create_application()
    yield qapp
    for t in getattr(qapp, "_test_translators", []) + getattr(qapp, "_translators", []):
        qapp.removeTranslator(t)  # a live language switch in a test leaves nothing behind
    qapp._test_translators = []
    qapp._translators = []


@pytest.fixture
def english(app):
    app._test_translators = install_translators(app, "en")
    return app
