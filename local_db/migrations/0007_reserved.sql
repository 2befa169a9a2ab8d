-- Reserved for the roles, review and audit migration (issue 6); replaced at merge.
SELECT 1;
