from sectorplannen.cli import main

raise SystemExit(main())
