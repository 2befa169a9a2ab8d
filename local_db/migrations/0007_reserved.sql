-- Reserved; replaced at merge.
SELECT 1;
