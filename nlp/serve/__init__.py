"""``disclosure serve``: a small offline web page for reviewers who do not use a terminal.

A Starlette app (run by uvicorn): upload, result, batch and batch-result pages, and one
JSON route, ``POST /api/check``. pages.py makes the HTML (the report's own CSS, inline
scripts, nothing fetched from anywhere else), uploads.py takes the uploads in within the
limits, and app.py holds the routes, the work done off the event loop and the results.

Safety, in the order a request meets it:

* the body is limited to ``max_upload_mb`` (the ``Content-Length`` first, then the bytes
  actually received) and the number of files per form is capped;
* each upload is written into a temporary folder of its own request, under a name made
  here (``report.pdf``), never the client's; only the client name's extension is used,
  after checking it against the forms the readers know; the folder is removed before the
  response leaves;
* uploads are only ever read by :mod:`nlp.readers` (text, HTML, DOCX, PDF, CSV, XLSX,
  JSON): nothing is executed or unpickled;
* the model is loaded once, when the app starts; the checks run in a worker thread, so
  the event loop keeps answering;
* results are kept in memory (the last ``KEEP_RESULTS``) under random ids; an unknown id
  is a 404 page.
"""
