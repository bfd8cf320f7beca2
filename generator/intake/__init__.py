"""``add``: bringing sources in. A saved web page, a URL, a PDF or a text in
any common encoding becomes a seed (UTF-8, one paragraph per line), a
starting annotation with the metadata found, and a kept copy of the
original (``captures/``) whose SHA-256 the annotation records.

Laid out by step: ``sniff`` (what a file is), ``fetch`` (URLs), one
extractor per kind (``html``, ``pdf`` with ``pdflayout``, ``text``), each
returning an ``Extracted``; ``slugs``, ``annotation`` (the front matter
written) and ``write`` (the files, all or none); ``command`` runs them for
each SOURCE. The libraries (trafilatura, pdfminer.six, charset-normalizer,
tqdm) are imported by the module that uses them only, so ``build`` never
loads them.
"""
