"""Presentation: the sentences, tables and figures a reviewer reads.

Everything here turns computed results into prose, formatted tables and
figures; nothing here computes a result, and the core modules never import
this subpackage (tests/test_architecture.py checks both). Modules are named by
what they present, sentences in ``*_findings``, figures in ``*_plots``:

- words and numbers: :mod:`~bulkimpact.present.i18n` (catalogues, locale formats,
  the glossary), :mod:`~bulkimpact.present.names` and :mod:`~bulkimpact.present.phrases`
  (what sentences share), :mod:`~bulkimpact.present.captions`;
- the dispute and the decision rules: :mod:`~bulkimpact.present.dispute_findings`,
  :mod:`~bulkimpact.present.verdict`, :mod:`~bulkimpact.present.rule_findings`,
  :mod:`~bulkimpact.present.rule_plots`;
- what changes if: :mod:`~bulkimpact.present.exploration_findings`,
  :mod:`~bulkimpact.present.exploration_plots`;
- openness readings: :mod:`~bulkimpact.present.reading_findings`,
  :mod:`~bulkimpact.present.reading_plots`;
- the inventory and the rulebook: :mod:`~bulkimpact.present.inventory_findings`,
  :mod:`~bulkimpact.present.rulebook_names`;
- the linkage graph: :mod:`~bulkimpact.present.linkage_findings`,
  :mod:`~bulkimpact.present.linkage_plots`;
- combinations: :mod:`~bulkimpact.present.combination_findings`,
  :mod:`~bulkimpact.present.combination_plots`;
- the record level: :mod:`~bulkimpact.present.validation`,
  :mod:`~bulkimpact.present.record_names`, :mod:`~bulkimpact.present.mosaic_findings`,
  :mod:`~bulkimpact.present.validation_plots`;
- exchange and timeline: :mod:`~bulkimpact.present.exchange_findings`,
  :mod:`~bulkimpact.present.exchange_plots`, :mod:`~bulkimpact.present.timeline_findings`,
  :mod:`~bulkimpact.present.timeline_plots`;
- tables, figures and pages: :mod:`~bulkimpact.present.tables`,
  :mod:`~bulkimpact.present.figures`, :mod:`~bulkimpact.present.downloads`,
  :mod:`~bulkimpact.present.bilingual`, :mod:`~bulkimpact.present.panel`.
"""
