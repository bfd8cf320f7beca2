"""Interface strings of the default theme, per language; the plural of a
counted noun and the name of a language, in the interface's language.

Plural rules and language names come from the Unicode CLDR through Babel
(the one module that imports it): French says "0 événement" and "1,5
million", English "0 events"; a source may be in any language, named as the
reader's interface names it ("anglais", "portugais (Brésil)").
"""

from functools import lru_cache

# Babel is imported by the functions that use it: the build's "anything
# changed?" step reads only the strings.

LANGUAGES = {
    "en": {
        "home": "Home", "timeline": "Timeline", "actors": "Actors", "sources": "Sources",
        "skip": "Skip to content", "main_nav": "Main", "note": "Note", "correction": "Correction",
        "claim": "Claim", "should_read": "Should read", "cited_by": "Cited by", "back_to_event": "Back to the event",
        "paragraph": "Paragraph", "summary": "Summary", "commentary": "Commentary", "article": "Article text",
        "notes": "Notes", "events_citing": "Events citing this source", "publisher": "Publisher",
        "published": "Published", "language": "Language", "original": "Original", "seed": "Seed file",
        "translated_from": "Translated from", "tags": "Tags", "mentions": "mentions", "mention": "mention",
        "sources_count": "sources", "source_count": "source", "events": "Events", "event": "event",
        "events_count": "events", "paragraphs": "paragraphs", "undated": "Undated", "evidence": "Evidence",
        "outside": "outside the corpus", "latest_events": "Latest events", "most_mentioned": "Most mentioned actors",
        "corpus": "The corpus", "actors_count": "actors", "notes_count": "notes", "corrections_count": "corrections",
        "stance_supports": "Supports", "stance_contradicts": "Contradicts", "stance_context": "Context",
        "contested": "Contested: some evidence contradicts it", "spurious": "Spurious",
        "spurious_actors": "Spurious entities", "spurious_intro": "Names that exist only through an error in a source (a garbled translation, a misreading). They are not counted as actors, nor drawn in the network.",
        "spurious_notice": "This entity exists only through an error in a source; it is not a real actor.",
        "spurious_mention": "Spurious",
        "person": "People", "organization": "Organizations", "government": "Governments", "other": "Others",
        "role": "Role", "description": "Description", "in_context": "Mentions in context", "co_mentioned": "Mentioned in the same paragraphs",
        "links": "Links", "wikidata": "Wikidata", "all_events": "All events", "all_actors": "All actors",
        "all_sources": "All sources", "not_found": "Page not found", "not_found_text": "There is no page at this address.",
        "go_home": "Go to the home page", "edit": "Edit this page", "generated_markdown": "Markdown of this page",
        "data": "Data", "feed": "Feed", "to": "to", "no_events": "No events yet.", "kind": "Kind",
        "view_passage": "passage", "untitled": "Untitled", "nav_toggle": "Menu", "in_paragraph": "in paragraph", "approximate": "approximate",
        "date": "Date", "passages": "The passages that report it", "clear_search": "Clear",
        "filter_status_one": "Showing {shown} of {total} events", "outside_references": "Outside the corpus",
        "event_on_timeline": "This event on the timeline",
        "data_title": "Data", "data_description": "Every file of the corpus to download: what it holds, its format, its size in records and its licence.",
        "data_intro": "The corpus as the site shows it, in files other tools read. Every file is rebuilt with the site.",
        "file": "File", "format": "Format", "holds": "What it holds", "records": "Records", "license": "Licence",
        "license_default": "No licence is stated for these files: the notes, events and actors are the work of {author}; ask them before reusing more than a quotation.",
        "sources_rights": "The texts of the sources quoted in these files remain their publishers'.",
        "dl_sources_json": "Every source: its metadata, the original it translates, its notes and corrections with the passage each is about.",
        "dl_sources_csv": "One row per source: the fields of sources.json, the original in columns of their own, the numbers of notes and corrections.",
        "dl_sources_bib": "Every source as a reference for LaTeX, JabRef or Zotero.",
        "dl_sources_csl": "Every source as a reference for Zotero, Pandoc and citeproc.",
        "dl_annotations": "Every note and every event's quoted passage, anchored to its words (TextQuoteSelector), for annotation tools.",
        "dl_events_json": "Every event: its dates, actors, tags, summary and evidence (each passage and outside reference).",
        "dl_events_csv": "One row per event, for spreadsheets, R or pandas.",
        "dl_actors_json": "Every actor: kind, role, Wikidata id, mentions per source, events.",
        "dl_actors_csv": "One row per actor, with its numbers of mentions, sources and events.",
        "dl_feed": "The newest sources and events, for feed readers.",
        "dl_markdown": "Each source page as Markdown: the article with its notes and marks, linked from the source's page.",
        "event_description": "{date}: {title}, with the passages of the sources that report it.",
        "aliases": "Also written", "on_timeline": "These events alone on the timeline", "search": "Search", "search_description": "Search the text of the sources, the notes, the events and the actors.", "search_label": "Search the site", "search_placeholder": "Search sources, events, actors",
        "search_needs_js": "Search runs in your browser and needs JavaScript, which is off or blocked here. Everything is also reachable from the indexes:",
        "search_data": "The corpus as data files", "filters": "Filter the events", "filter_actor": "Actor", "filter_tag": "Tag",
        "filter_source": "Source", "any_actor": "Any actor", "any_tag": "Any tag", "any_source": "Any source",
        "clear_filters": "Clear filters", "filter_status": "Showing {shown} of {total} events",
        "filter_none": "No event matches these filters.",
        "events_per_month": "Events per month", "events_per_year": "Events per year",
        "overview_desc": "Number of events on the timeline in each period, from {first} to {last}; each bar links to that period of the timeline.",
        "chart_table": "The figures as a table", "period": "Period", "count": "Number",
        "actor_strip": "When {name} appears",
        "strip_desc": "Periods with events involving {name} and with sources mentioning {name} (by publication date), from {first} to {last}.",
        "strip_events": "Events", "strip_sources": "Sources",
        "network": "Actors mentioned together",
        "network_desc": "Each dot is an actor and links to its page; a line joins two actors named in the same paragraph of a source, thicker when they share more paragraphs. {nodes}, {edges}; actors never named alongside another are left out.",
        "network_part": "Shown: the {edges} strongest pairs among the {nodes} most mentioned of {all_nodes} actors ({all_edges} pairs in all; every actor's page lists the actors named with it).",
        "pair": "Pair", "shared_paragraphs": "Paragraphs in common", "no_pairs": "No two actors are named in the same paragraph yet.",
        "page_of": "page {number} of {count}", "pages": "Pages", "previous": "Previous", "next": "Next",
        "years": "Years", "all_of_year": "All events of {year}", "filter_whole": "Filter the whole timeline",
        "all_passages": "All {count} passages, on {pages} pages", "all_passages_one": "All {count} passages", "passages_of": "Passages naming {name}",
        "sources_naming": "Sources naming it", "shown_of": "{shown} of {total}",
        "latest_of": "The latest {shown} of {total} events: all of them are on the timeline.",
        "top_of": "The {shown} most frequent of {total}.",
        "timeline_description": "{count} from {first} to {last}, each with the passages of the sources that report it.",
        "actors_description": "The people, organizations and governments named in the sources ({count} in {sources}), with their mentions in context.",
        "actor_description": "{name}: mentions in the sources, events and the actors named alongside.",
        "sources_description": "The source articles of the corpus ({count}), annotated: publisher, date, language, notes and corrections.",
        "source_description": "{title} ({byline}): the annotated text with notes, corrections and the events it reports.",
        "cite": "Cite this source", "cite_all": "All sources", "download": "Download",
        "excerpts": "Excerpts", "in_original": "in the original", "read_original": "Read the full text at its publisher.",
        "excerpts_notice": "Only the passages that notes and events cite are published here, each with at most {context} characters of context on either side.",
        "no_original": "The full text is not published here.",
    },
    "fr": {
        "home": "Accueil", "timeline": "Chronologie", "actors": "Acteurs", "sources": "Sources",
        "skip": "Aller au contenu", "main_nav": "Principale", "note": "Note", "correction": "Correction",
        "claim": "Affirmation", "should_read": "Il faudrait lire", "cited_by": "Cité par", "back_to_event": "Retour à l'événement",
        "paragraph": "Paragraphe", "summary": "Résumé", "commentary": "Commentaire", "article": "Texte de l'article",
        "notes": "Notes", "events_citing": "Événements citant cette source", "publisher": "Éditeur",
        "published": "Publié", "language": "Langue", "original": "Original", "seed": "Fichier source",
        "translated_from": "Traduit de", "tags": "Étiquettes", "mentions": "mentions", "mention": "mention",
        "sources_count": "sources", "source_count": "source", "events": "Événements", "event": "événement",
        "events_count": "événements", "paragraphs": "paragraphes", "undated": "Sans date", "evidence": "Preuves",
        "outside": "hors corpus", "latest_events": "Derniers événements", "most_mentioned": "Acteurs les plus cités",
        "corpus": "Le corpus", "actors_count": "acteurs", "notes_count": "notes", "corrections_count": "corrections",
        "stance_supports": "Appuie", "stance_contradicts": "Contredit", "stance_context": "Contexte",
        "contested": "Contesté : une preuve le contredit", "spurious": "Fictive",
        "spurious_actors": "Entités fictives", "spurious_intro": "Des noms qui n'existent que par une erreur d'une source (une traduction fautive, une mauvaise lecture). Ils ne sont ni comptés parmi les acteurs, ni dessinés dans le réseau.",
        "spurious_notice": "Cette entité n'existe que par une erreur d'une source ; ce n'est pas un véritable acteur.",
        "spurious_mention": "Fictive",
        "person": "Personnes", "organization": "Organisations", "government": "Gouvernements", "other": "Autres",
        "role": "Rôle", "description": "Description", "in_context": "Mentions en contexte", "co_mentioned": "Cités dans les mêmes paragraphes",
        "links": "Liens", "wikidata": "Wikidata", "all_events": "Tous les événements", "all_actors": "Tous les acteurs",
        "all_sources": "Toutes les sources", "not_found": "Page introuvable", "not_found_text": "Il n'y a pas de page à cette adresse.",
        "go_home": "Aller à l'accueil", "edit": "Modifier cette page", "generated_markdown": "Markdown de cette page",
        "data": "Données", "feed": "Flux", "to": "à", "no_events": "Aucun événement pour l'instant.", "kind": "Type",
        "view_passage": "passage", "untitled": "Sans titre", "nav_toggle": "Menu", "in_paragraph": "au paragraphe", "approximate": "approximatif",
        "date": "Date", "passages": "Les passages qui le rapportent", "clear_search": "Effacer",
        "filter_status_one": "{shown} événement affiché sur {total}", "outside_references": "Hors corpus",
        "event_on_timeline": "Cet événement sur la chronologie",
        "data_title": "Données", "data_description": "Tous les fichiers du corpus à télécharger : ce qu'ils contiennent, leur format, leur nombre d'enregistrements et leur licence.",
        "data_intro": "Le corpus tel que le site le montre, en fichiers que d'autres outils lisent. Chaque fichier est refait avec le site.",
        "file": "Fichier", "format": "Format", "holds": "Contenu", "records": "Enregistrements", "license": "Licence",
        "license_default": "Aucune licence n'est indiquée pour ces fichiers : les notes, les événements et les acteurs sont l'œuvre de {author} ; demandez-lui avant de réutiliser plus qu'une citation.",
        "sources_rights": "Les textes des sources cités dans ces fichiers restent à leurs éditeurs.",
        "dl_sources_json": "Toutes les sources : leurs métadonnées, l'original qu'elles traduisent, leurs notes et corrections avec le passage de chacune.",
        "dl_sources_csv": "Une ligne par source : les champs de sources.json, l'original dans des colonnes à part, le nombre de notes et de corrections.",
        "dl_sources_bib": "Toutes les sources en références pour LaTeX, JabRef ou Zotero.",
        "dl_sources_csl": "Toutes les sources en références pour Zotero, Pandoc et citeproc.",
        "dl_annotations": "Chaque note et chaque passage cité par un événement, ancré à ses mots (TextQuoteSelector), pour les outils d'annotation.",
        "dl_events_json": "Tous les événements : dates, acteurs, étiquettes, résumé et preuves (passages et références extérieures).",
        "dl_events_csv": "Une ligne par événement, pour les tableurs, R ou pandas.",
        "dl_actors_json": "Tous les acteurs : type, rôle, identifiant Wikidata, mentions par source, événements.",
        "dl_actors_csv": "Une ligne par acteur, avec ses nombres de mentions, de sources et d'événements.",
        "dl_feed": "Les dernières sources et les derniers événements, pour les lecteurs de flux.",
        "dl_markdown": "Chaque page de source en Markdown : l'article avec ses notes et ses marques, lié depuis la page de la source.",
        "event_description": "{date} : {title}, avec les passages des sources qui le rapportent.",
        "aliases": "Aussi écrit", "on_timeline": "Ces seuls événements sur la chronologie", "search": "Rechercher", "search_description": "Rechercher dans le texte des sources, les notes, les événements et les acteurs.", "search_label": "Rechercher dans le site", "search_placeholder": "Sources, événements, acteurs",
        "search_needs_js": "La recherche fonctionne dans le navigateur et demande JavaScript, désactivé ou bloqué ici. Tout est aussi accessible depuis les index :",
        "search_data": "Le corpus en fichiers de données", "filters": "Filtrer les événements", "filter_actor": "Acteur", "filter_tag": "Étiquette",
        "filter_source": "Source", "any_actor": "Tous les acteurs", "any_tag": "Toutes les étiquettes", "any_source": "Toutes les sources",
        "clear_filters": "Effacer les filtres", "filter_status": "{shown} événements affichés sur {total}",
        "filter_none": "Aucun événement ne correspond à ces filtres.",
        "events_per_month": "Événements par mois", "events_per_year": "Événements par an",
        "overview_desc": "Nombre d'événements de la chronologie par période, de {first} à {last} ; chaque barre mène à cette période de la chronologie.",
        "chart_table": "Les chiffres en tableau", "period": "Période", "count": "Nombre",
        "actor_strip": "Quand {name} apparaît",
        "strip_desc": "Périodes des événements impliquant {name} et des sources citant {name} (par date de publication), de {first} à {last}.",
        "strip_events": "Événements", "strip_sources": "Sources",
        "network": "Acteurs cités ensemble",
        "network_desc": "Chaque point est un acteur et mène à sa page ; un trait relie deux acteurs nommés dans un même paragraphe d'une source, plus épais quand ils partagent plus de paragraphes. {nodes}, {edges} ; les acteurs jamais nommés avec un autre sont omis.",
        "network_part": "Sont montrées les {edges} paires les plus fortes parmi les {nodes} acteurs les plus cités sur {all_nodes} ({all_edges} paires en tout ; la page de chaque acteur donne les acteurs nommés avec lui).",
        "pair": "Paire", "shared_paragraphs": "Paragraphes en commun", "no_pairs": "Aucun couple d'acteurs n'est encore nommé dans un même paragraphe.",
        "page_of": "page {number} sur {count}", "pages": "Pages", "previous": "Précédente", "next": "Suivante",
        "years": "Années", "all_of_year": "Tous les événements de {year}", "filter_whole": "Filtrer toute la chronologie",
        "all_passages": "Les {count} passages, sur {pages} pages", "all_passages_one": "Les {count} passages", "passages_of": "Passages citant {name}",
        "sources_naming": "Sources qui le citent", "shown_of": "{shown} sur {total}",
        "latest_of": "Les {shown} derniers de {total} événements : tous sont sur la chronologie.",
        "top_of": "Les {shown} plus fréquents sur {total}.",
        "timeline_description": "{count}, du {first} au {last}, chacun avec les passages des sources qui le rapportent.",
        "actors_description": "Les personnes, organisations et gouvernements nommés dans les sources ({count} dans {sources}), avec leurs mentions en contexte.",
        "actor_description": "{name} : mentions dans les sources, événements et acteurs cités à ses côtés.",
        "sources_description": "Les articles sources du corpus ({count}), annotés : éditeur, date, langue, notes et corrections.",
        "source_description": "{title} ({byline}) : le texte annoté, avec notes, corrections et les événements qu'il rapporte.",
        "cite": "Citer cette source", "cite_all": "Toutes les sources", "download": "Télécharger",
        "excerpts": "Extraits", "in_original": "dans l'original", "read_original": "Lire le texte intégral chez son éditeur.",
        "excerpts_notice": "Seuls les passages cités par les notes et les événements sont publiés ici, chacun avec au plus {context} caractères de contexte de part et d'autre.",
        "no_original": "Le texte intégral n'est pas publié ici.",
    },
}

# The preview's annotation panel (``serve`` only; never in a published page).
ANNOTATE_STRINGS = {
    "en": {
        "open": "Annotate the selection", "panel": "Annotate", "quote": "Quote", "kind": "Kind",
        "note": "Note", "correction": "Correction", "claim": "Claim", "evidence": "Evidence for an event",
        "body": "Text of the note (Markdown)", "should_read": "Should read", "event": "Event",
        "new_event": "A new event", "date": "Date (YYYY, YYYY-MM or YYYY-MM-DD; ~ if approximate)",
        "title": "Title of the event", "id": "Id of the event (optional)", "yaml": "YAML to add to",
        "show": "Show the YAML", "copy": "Copy YAML", "save": "Add to the file", "close": "Close",
        "copied": "Copied.", "saved": "Written to {file}; the page reloads.",
        "one_paragraph": "Select words inside the article text.",
        "hint": "Select words in the article text, then press “Annotate the selection”.",
        "error": "Not written:",
    },
    "fr": {
        "open": "Annoter la sélection", "panel": "Annoter", "quote": "Citation", "kind": "Type",
        "note": "Note", "correction": "Correction", "claim": "Affirmation", "evidence": "Preuve d'un événement",
        "body": "Texte de la note (Markdown)", "should_read": "Il faudrait lire", "event": "Événement",
        "new_event": "Un nouvel événement", "date": "Date (AAAA, AAAA-MM ou AAAA-MM-JJ ; ~ si approximative)",
        "title": "Titre de l'événement", "id": "Identifiant de l'événement (facultatif)", "yaml": "YAML à ajouter à",
        "show": "Voir le YAML", "copy": "Copier le YAML", "save": "Ajouter au fichier", "close": "Fermer",
        "copied": "Copié.", "saved": "Écrit dans {file} ; la page se recharge.",
        "one_paragraph": "Sélectionnez des mots du texte de l'article.",
        "hint": "Sélectionnez des mots du texte de l'article, puis « Annoter la sélection ».",
        "error": "Rien n'a été écrit :",
    },
}

# Counted nouns: noun -> (the form for CLDR's "one", the form for every other count).
NOUNS = {
    "en": {
        "source": ("source", "sources"), "event": ("event", "events"), "actor": ("actor", "actors"),
        "mention": ("mention", "mentions"), "note": ("note", "notes"), "correction": ("correction", "corrections"),
        "paragraph": ("paragraph", "paragraphs"), "annotation": ("annotation", "annotations"),
        "entry": ("entry", "entries"), "pair": ("pair", "pairs"), "page": ("page", "pages"),
        "source_article": ("source article", "source articles"),
        "person": ("Person", "People"), "organization": ("Organization", "Organizations"),
        "government": ("Government", "Governments"), "other": ("Other", "Others"),
    },
    "fr": {
        "source": ("source", "sources"), "event": ("événement", "événements"), "actor": ("acteur", "acteurs"),
        "mention": ("mention", "mentions"), "note": ("note", "notes"), "correction": ("correction", "corrections"),
        "paragraph": ("paragraphe", "paragraphes"), "annotation": ("annotation", "annotations"),
        "entry": ("entrée", "entrées"), "pair": ("paire", "paires"), "page": ("page", "pages"),
        "source_article": ("article source", "articles sources"),
        "person": ("Personne", "Personnes"), "organization": ("Organisation", "Organisations"),
        "government": ("Gouvernement", "Gouvernements"), "other": ("Autre", "Autres"),
    },
}


@lru_cache(maxsize=None)
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language)


def plural(n: int, noun: str, language: str) -> str:
    """The form of ``noun`` (a key of ``NOUNS``) that goes with the number ``n``."""
    one, other = NOUNS[language][noun]
    return one if _locale(language).plural_form(n) == "one" else other


def counted(n: int, noun: str, language: str) -> str:
    """``n`` and its noun: "1 event", "2 events", "0 événement". The one helper for every count shown."""
    return f"{n} {plural(n, noun, language)}"


@lru_cache(maxsize=1024)
def language_name(code: str, language: str) -> str:
    """A language's name (a BCP 47 tag: ``fr``, ``pt-BR``, ``zh-Hant``) in the
    interface's ``language``, as CLDR writes it, capitalised as a value on
    its own ("French", "Français"); the code itself when CLDR has no name."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return code
    if locale.language != code.split("-")[0].split("_")[0].lower():  # "und" is not English, whatever CLDR guesses
        return code
    name = locale.get_display_name(language)
    return name[:1].upper() + name[1:] if name else code


def short_month(month: int, language: str) -> str:
    """A month's abbreviated name on its own, as a chart's axis writes it ("Mar", "mars", "févr.")."""
    return _locale(language).months["stand-alone"]["abbreviated"][month]
