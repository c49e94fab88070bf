"""The floor of our stack: a hello-world typer app (one command, a few options).

Importing typer 0.29 loads pydantic too, as every engage run does; engage's start-up is
measured against this.
"""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world", count: int = 1, loud: bool = False) -> None:
    """Say hello."""
    for _ in range(count):
        typer.echo(f"hello {name}".upper() if loud else f"hello {name}")


if __name__ == "__main__":
    app()
