// The operator console: plain JavaScript, no build, no third-party code. Every value from the API is written with
// textContent, never as HTML. The admin token lives in sessionStorage (this tab only) and travels only in the
// Authorization header; a 401 or 403 forgets it and asks again.
'use strict';

(function () {
  const TOKEN_KEY = 'landbot-router.admin-token';
  const STATUSES = ['PENDING', 'QUEUED', 'SENDING', 'SENT', 'ERROR'];
  const PAGE_SIZE = 20;
  // The API's root: where this page is served, less "/console" (a stage prefix, if any, stays).
  const API = window.location.pathname.replace(/\/console\/?$/, '');

  const state = { status: 'ERROR', cursors: [null], page: 0, openId: null, polling: null };

  const $ = (id) => document.getElementById(id);

  class SignedOut extends Error {}

  function token() {
    return window.sessionStorage.getItem(TOKEN_KEY);
  }

  function showLogin(reason) {
    window.sessionStorage.removeItem(TOKEN_KEY);
    stopPolling();
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('token-error').textContent = reason || '';
    $('token').value = '';
    $('token').focus();
  }

  function showApp() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
  }

  /** Calls the API with the token; answers {status, body}. A refused token leads back to the prompt. */
  async function api(method, path, body) {
    const current = token();
    if (!current) {
      showLogin('');
      throw new SignedOut();
    }
    const headers = { 'Authorization': 'Bearer ' + current, 'Accept': 'application/json' };
    const init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (response.status === 401) {
      showLogin('The token was refused (wrong or expired). Enter it again.');
      throw new SignedOut();
    }
    if (response.status === 403) {
      showLogin('That token is not an admin token: the console needs the operators\' admin token.');
      throw new SignedOut();
    }
    return { status: response.status, body: data };
  }

  function text(element, value) {
    element.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function cell(row, value, className) {
    const td = document.createElement('td');
    text(td, value);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function when(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : iso;
  }

  function problems(list, body) {
    list.replaceChildren();
    const details = body && Array.isArray(body.details) ? body.details : [];
    details.forEach((detail) => {
      const li = document.createElement('li');
      li.textContent = detail;
      list.appendChild(li);
    });
  }

  // ---- counts and the listing

  async function loadCounts() {
    const answer = await api('GET', '/counts');
    const list = $('count-list');
    list.replaceChildren();
    STATUSES.forEach((status) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'status-filter' + (status === state.status ? ' current' : '');
      button.dataset.status = status;
      const count = document.createElement('span');
      count.className = 'count';
      count.id = 'count-' + status;
      count.textContent = answer.status === 200 ? String(answer.body.counts[status] || 0) : '?';
      const label = document.createElement('span');
      label.textContent = status;
      button.append(count, label);
      button.addEventListener('click', () => {
        state.status = status;
        state.cursors = [null];
        state.page = 0;
        refresh();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  async function loadMessages() {
    const cursor = state.cursors[state.page];
    let path = '/messages?status=' + encodeURIComponent(state.status) + '&limit=' + PAGE_SIZE;
    if (cursor) {
      path += '&cursor=' + encodeURIComponent(cursor);
    }
    const answer = await api('GET', path);
    text($('list-status'), state.status);
    const body = $('message-table').tBodies[0];
    body.replaceChildren();
    const messages = answer.status === 200 ? answer.body.messages : [];
    messages.forEach((message) => {
      const row = document.createElement('tr');
      row.className = 'message-row';
      row.dataset.id = message.id;
      cell(row, when(message.createdAt));
      const idCell = document.createElement('td');
      idCell.className = 'id';
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'open-message';
      open.dataset.id = message.id;
      open.textContent = message.id;
      open.addEventListener('click', () => openMessage(message.id));
      idCell.appendChild(open);
      row.appendChild(idCell);
      cell(row, message.topic);
      cell(row, message.channel);
      cell(row, message.attempts);
      cell(row, message.lastError);
      body.appendChild(row);
    });
    $('list-empty').hidden = messages.length > 0;
    const next = answer.status === 200 ? answer.body.nextCursor : null;
    state.cursors.length = state.page + 1;
    if (next) {
      state.cursors.push(next);
    }
    $('next-page').disabled = !next;
    $('prev-page').disabled = state.page === 0;
    text($('page-number'), 'page ' + (state.page + 1));
  }

  // ---- one message

  function stopPolling() {
    if (state.polling) {
      window.clearInterval(state.polling);
      state.polling = null;
    }
  }

  async function openMessage(id) {
    state.openId = id;
    const answer = await api('GET', '/messages/' + encodeURIComponent(id));
    if (answer.status !== 200) {
      $('message-detail').hidden = true;
      return;
    }
    showMessage(answer.body);
    $('message-detail').hidden = false;
    return answer.body;
  }

  function showMessage(message) {
    text($('detail-id'), message.id);
    const status = $('detail-status');
    text(status, message.status);
    status.className = 'status-' + message.status;
    text($('detail-topic'), message.topic);
    text($('detail-channel'), message.channel);
    text($('detail-attempts'), message.attempts);
    text($('detail-created'), when(message.createdAt));
    text($('detail-sent'), when(message.sentAt));
    text($('detail-delivery'), message.deliveryId);
    text($('detail-error'), message.lastError);
    text($('detail-retry-requested'), when(message.retryRequestedAt));
    $('retry-button').hidden = message.status !== 'ERROR';
    const body = $('history-table').tBodies[0];
    body.replaceChildren();
    const history = message.history || [];
    history.forEach((attempt) => {
      const row = document.createElement('tr');
      row.className = 'attempt-row';
      cell(row, when(attempt.at));
      cell(row, attempt.channel);
      cell(row, attempt.destination, 'mono');
      cell(row, attempt.outcome, 'outcome outcome-' + attempt.outcome);
      cell(row, attempt.durationMs + ' ms');
      cell(row, attempt.error);
      cell(row, attempt.deliveryId, 'mono');
      body.appendChild(row);
    });
    $('history-empty').hidden = history.length > 0;
  }

  async function retryOpenMessage() {
    const id = state.openId;
    $('retry-button').disabled = true;
    try {
      const answer = await api('POST', '/messages/' + encodeURIComponent(id) + '/retry');
      if (answer.status === 202) {
        text($('retry-result'), 'Queued again; following its status…');
        showMessage(answer.body);
        follow(id);
      } else {
        text($('retry-result'), (answer.body && answer.body.error ? answer.body.error + ': ' : '')
          + (answer.body && answer.body.details ? answer.body.details.join('; ') : 'HTTP ' + answer.status));
      }
    } finally {
      $('retry-button').disabled = false;
    }
  }

  /** Re-reads the open message every second until it settles (SENT or ERROR), for at most two minutes. */
  function follow(id) {
    stopPolling();
    const started = Date.now();
    state.polling = window.setInterval(async () => {
      if (state.openId !== id || Date.now() - started > 120000) {
        stopPolling();
        return;
      }
      try {
        const message = await openMessage(id);
        if (message && (message.status === 'SENT' || message.status === 'ERROR')) {
          stopPolling();
          text($('retry-result'), 'Retry finished: ' + message.status + '.');
          loadCounts().then(loadMessages).catch(ignoreSignedOut);
        }
      } catch (e) {
        stopPolling();
        ignoreSignedOut(e);
      }
    }, 1000);
  }

  // ---- bulk retry

  async function bulkRetry(event) {
    event.preventDefault();
    const request = {};
    const topic = $('bulk-topic').value;
    if (topic) {
      request.topic = topic;
    }
    if ($('bulk-from').value.trim()) {
      request.createdFrom = $('bulk-from').value.trim();
    }
    if ($('bulk-to').value.trim()) {
      request.createdTo = $('bulk-to').value.trim();
    }
    request.limit = Number($('bulk-limit').value || 25);
    const answer = await api('POST', '/messages/retry', request);
    if (answer.status === 202) {
      problems($('bulk-errors'), null);
      text($('bulk-result'), 'Queued ' + answer.body.queued + ' of ' + answer.body.examined + ' ERROR messages examined'
        + (answer.body.skipped ? ' (' + answer.body.skipped + ' changed meanwhile)' : '')
        + (answer.body.nextCursor ? '; more remain: press Retry again for the next page.' : '.'));
      await refresh();
    } else {
      text($('bulk-result'), answer.body && answer.body.error ? answer.body.error : 'HTTP ' + answer.status);
      problems($('bulk-errors'), answer.body);
    }
  }

  // ---- topics

  async function loadTopics() {
    const answer = await api('GET', '/topics');
    const body = $('topic-table').tBodies[0];
    body.replaceChildren();
    const select = $('bulk-topic');
    const chosen = select.value;
    select.replaceChildren(new Option('any topic', ''));
    const topics = answer.status === 200 ? answer.body.topics : [];
    topics.forEach((topic) => {
      const row = document.createElement('tr');
      row.className = 'topic-row';
      row.dataset.topic = topic.name;
      cell(row, topic.name);
      cell(row, topic.channel);
      cell(row, Object.entries(topic.target || {})
        .map(([key, value]) => key + ': ' + (Array.isArray(value) ? value.join(', ') : value)).join('; '), 'mono');
      cell(row, when(topic.updatedAt));
      row.addEventListener('click', () => editTopic(topic));
      body.appendChild(row);
      select.appendChild(new Option(topic.name, topic.name));
    });
    select.value = chosen;
  }

  function editTopic(topic) {
    $('topic-name').value = topic.name;
    $('topic-channel').value = topic.channel;
    const target = topic.target || {};
    $('topic-target').value = topic.channel === 'slack' ? (target.webhookSecretName || '')
      : (target.recipients || []).join(', ');
    targetLabel();
  }

  function targetLabel() {
    const slack = $('topic-channel').value === 'slack';
    $('topic-target-label').textContent = slack ? 'Webhook secret name' : 'Recipients (comma-separated)';
    $('topic-target').placeholder = slack ? 'landbot-router/slack/support' : 'team@example.com';
  }

  async function saveTopic(event) {
    event.preventDefault();
    const name = $('topic-name').value.trim();
    const channel = $('topic-channel').value;
    const value = $('topic-target').value;
    const target = channel === 'slack'
      ? { webhookSecretName: value.trim() }
      : { recipients: value.split(',').map((address) => address.trim()).filter((address) => address.length > 0) };
    const answer = await api('PUT', '/topics/' + encodeURIComponent(name), { channel: channel, target: target });
    if (answer.status === 200 || answer.status === 201) {
      text($('topic-result'), (answer.status === 201 ? 'Created ' : 'Changed ') + answer.body.name
        + ': every dispatcher uses it within 30 s.');
      $('topic-error').textContent = '';
      problems($('topic-errors'), null);
      await loadTopics();
    } else {
      $('topic-result').textContent = '';
      text($('topic-error'), answer.body && answer.body.error ? answer.body.error : 'HTTP ' + answer.status);
      problems($('topic-errors'), answer.body);
    }
  }

  // ---- wiring

  function ignoreSignedOut(e) {
    if (!(e instanceof SignedOut)) {
      window.console.error(e);
    }
  }

  async function refresh() {
    await loadCounts();
    await loadMessages();
  }

  async function start() {
    await loadCounts();
    showApp();
    await Promise.all([loadMessages(), loadTopics()]);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (!value) {
        return;
      }
      window.sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      start().catch(ignoreSignedOut);
    });
    $('sign-out').addEventListener('click', () => showLogin('Token forgotten.'));
    $('refresh').addEventListener('click', () => refresh().catch(ignoreSignedOut));
    $('next-page').addEventListener('click', () => {
      state.page += 1;
      loadMessages().catch(ignoreSignedOut);
    });
    $('prev-page').addEventListener('click', () => {
      state.page = Math.max(0, state.page - 1);
      loadMessages().catch(ignoreSignedOut);
    });
    $('retry-button').addEventListener('click', () => retryOpenMessage().catch(ignoreSignedOut));
    $('bulk-form').addEventListener('submit', (event) => bulkRetry(event).catch(ignoreSignedOut));
    $('topic-form').addEventListener('submit', (event) => saveTopic(event).catch(ignoreSignedOut));
    $('topic-channel').addEventListener('change', targetLabel);
    if (token()) {
      start().catch(ignoreSignedOut);
    } else {
      showLogin('');
    }
  });
}());
