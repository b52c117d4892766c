"""Files people upload: what a file may hold (`inspection`) and how one is kept, checked, stored
and served with every download logged (`stored`). Grant documents (proposal, RAB, bank book, KTP
copies, handover minutes, tranche receipts, photos) and follow-up evidence (BPJS cards, letters,
new KTPs) are both kept this way."""
