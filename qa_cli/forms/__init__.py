"""Excel forms: returns out to people who never open YAML, and their answers back in.

``export`` writes one workbook per blank or partly filled return (a ``Return`` sheet of
questions with drop-downs, an ``Actions`` sheet, and hidden sheets that say which file it
came from and what that file held); ``reader`` reads a filled workbook back into plain
values with the cell each came from; ``importer`` turns them into edits of the YAML return
through the byte-preserving edit path (:mod:`qa_cli.yamledit`) and validates the result
before anything is written; ``mail`` wraps forms in draft e-mails.

The package never imports typer or rich: ``qa_cli/cli/form.py`` is its command line.
"""
