"""Operations on the center's records: the rules of app/rules applied to the database, with no pages."""
