"""What makes a build fast and changes nothing in what it makes: results of
earlier builds reused where their inputs are unchanged, work shared out."""
