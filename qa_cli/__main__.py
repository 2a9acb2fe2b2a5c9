from qa_cli.cli import main

main()
