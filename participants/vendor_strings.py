"""Words of django-import-export's admin pages, which ships no Indonesian catalogue.

Listing them here puts them in the project's catalogue (locale/id), so that the import pages that
staff see read in Indonesian like the rest of the application. Nothing calls this module.
"""

from django.utils.translation import gettext_noop

IMPORT_EXPORT_STRINGS = (
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Delete"),
    gettext_noop("Errors"),
    gettext_noop("Import"),
    gettext_noop("Line number"),
    gettext_noop("New"),
    gettext_noop("Non field specific"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_noop("Preview"),
    gettext_noop("Row"),
    gettext_noop("Skipped"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop("Submit"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Update"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
)
