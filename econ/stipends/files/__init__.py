"""Payment files: pure builders and parsers over plain dataclasses (no database, no I/O).

`sepa` writes pain.001.001.03 credit transfers, `csv_files` the CSV transfer and card
files, `results` parses the bank's result file and classifies each row against the
attempts that were sent. Format details are in docs/payment-files.md.
"""
