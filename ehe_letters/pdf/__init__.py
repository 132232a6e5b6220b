"""PDF output: LibreOffice conversion, checks of each PDF, the print file."""

import threading

# PDFium may not be called from two threads at once, not even for different documents: every
# use of pypdfium2 in the toolkit holds this lock (the converters' threads split and check
# PDFs while the main thread checks others).
PDFIUM = threading.RLock()
