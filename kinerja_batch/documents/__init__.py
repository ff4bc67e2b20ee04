"""PDF documents: the feedback PDF, the annual suggestion PDF, their charts, and how WeasyPrint is driven."""
