import np6


def test_version() -> None:
    assert np6.__version__ == "0.1.0"
