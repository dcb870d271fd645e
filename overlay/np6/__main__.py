"""`python -m np6`: the `np6` command, for environments where its script is not on PATH."""

if __name__ == "__main__":
    from ._command import main

    raise SystemExit(main())
