"""The register: units (登記), their service plans (備案), volunteers, training, insurance, awards
and the volunteer's résumé."""
