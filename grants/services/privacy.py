from grants.models import (
    Document,
)


def identity_documents_purge(*, program) -> int:
    """Delete the KTP copies of a programme's grants (files and rows); return how many went.

    The grants, their amounts and the other documents stay: the programme's figures are intact.
    """
    documents = list(Document.objects.filter(grant__program=program, kind=Document.Kind.KTP))
    for document in documents:
        document.file.delete(save=False)
        document.delete()
    return len(documents)
