"""Mailings: read an export, render every row in workers, resume after a crash, the manifest,
and the PDF stage."""
