"""Reports after the award (art. 18 of the Act on Public Benefit Activity): the final report of a granted offer."""
