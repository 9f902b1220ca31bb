from finerworks_mcp.cli import main

raise SystemExit(main())
