"""xlwings entry points of the buttons (the only place importing xlwings, lazily).

Each entry point takes an optional ``book`` (an ``xlwings.Book``): Excel calls
them without one and they use ``xlwings.Book.caller()``; tests pass a book of
xlwings' remote engine. A user error is a Russian message in the workbook,
never a Python traceback.
"""
