"""PDF output: LibreOffice conversion, checks of each PDF, and the print file."""
