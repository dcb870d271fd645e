"""`python -m np6._cli`: the command line without the install hints of `python -m np6` (for the tests)."""

if __name__ == "__main__":
    import sys

    from . import main

    sys.exit(main())
