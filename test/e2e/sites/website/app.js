document.body.dataset.scriptRan = 'yes'
fetch('data.json')
  .then(response => response.json())
  .then(data => { document.getElementById('data').textContent = data.message })
  .catch(err => { document.getElementById('data').textContent = 'fetch failed: ' + err.message })
