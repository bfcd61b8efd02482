-- Reserved so parallel work can number its migrations; the owning change fills it in before it lands.
SELECT 1;
