"""The site beside the published file: force, region and England and Wales profiles, a national map and league
table (build.py from content.py's figures), rebuilt by the site asset after each publication and served by
`forcestat site --serve` and `forcestat ui`."""
