"""Printed documents as PDF bytes (reportlab), for the CLI and the GUI alike.

Each document is a function taking plain data, `paper` ("a4" | "f4"), `language` and,
for batches, `progress(done, total)` and `cancelled()` callables; it returns the PDF's
bytes, and `write_pdf()` saves them atomically. Nothing here touches Qt, so a document can
be built on a worker thread. reportlab is imported only inside this package.

    layout      page sizes, header/footer with "Halaman 1 dari N", safe text, tables
    graphics    stars, tick boxes, QR codes, the aspect bar chart, signature/verification
    fonts       the embedded DejaVu Sans family
    output      write_pdf
    sources     gather a document's data through the existing services
"""

from ovop_desktop.services.printing.layout import Cancelled, PageSpec, page_size
from ovop_desktop.services.printing.output import write_pdf

__all__ = ["Cancelled", "PageSpec", "page_size", "write_pdf"]
