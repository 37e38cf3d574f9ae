"""Presentation: the sentences, tables and figures a reviewer reads.

Everything here turns computed results into prose, formatted tables and
figures; nothing here computes a result, and the core modules never import
this subpackage (a test checks it).

- :mod:`~bulkimpact.present.findings`: computed sentences, in Dutch or English;
- :mod:`~bulkimpact.present.i18n`: message catalogues, locale formats and the
  Dutch–English glossary;
- :mod:`~bulkimpact.present.tables`: formatted tables for reports;
- :mod:`~bulkimpact.present.plots`: figures with titles that state their finding;
- :mod:`~bulkimpact.present.validation`: the record-level validation in tables and
  sentences.
"""
