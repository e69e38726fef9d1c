"""Build a plugin's or theme's template (.pot) from its sources, as WP-CLI ``wp i18n make-pot`` does.

``php`` reads PHP with PHP's own tokenizer, ``js`` reads JS/TS/JSX with tree-sitter,
``json_sources`` reads block.json/theme.json, ``calls`` says what a gettext call means (WordPress's
keywords, domains, ``translators:`` comments), ``sources`` chooses the files, ``audit`` looks for
likely mistakes in the strings (make-pot's audit) and ``template`` puts the template together with
a count of everything found, extracted and skipped.
"""

from transkit.catalog.extract.audit import AUDIT_CODES
from transkit.catalog.extract.sources import DEFAULT_EXCLUDES, SourceFiles, find_sources
from transkit.catalog.extract.template import (ExtractedTemplate, ExtractSummary, SourceProblem, TemplateOptions,
                                               build_template, find_main_file, template_header)

__all__ = ["AUDIT_CODES", "DEFAULT_EXCLUDES", "ExtractSummary", "ExtractedTemplate", "SourceFiles", "SourceProblem",
           "TemplateOptions", "build_template", "find_main_file", "find_sources", "template_header"]
